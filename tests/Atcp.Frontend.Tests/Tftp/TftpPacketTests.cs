using System.Text;
using Atcp.Frontend.Tftp;

namespace Atcp.Frontend.Tests.Tftp;

public class TftpPacket_Golden
{
    static byte[] Hex(string hex) => Convert.FromHexString(hex);

    const string ReadRequestHex = "0001626f6f742e696d67006f6374657400626c6b73697a650031343630007473697a65003000";
    const string OptionAckHex = "0006626c6b73697a650031343630007473697a65003132333435360077696e646f7773697a6500313600";

    [Fact]
    public void ReadRequest_WithOptions_ParsesAndBuilds()
    {
        var r = TftpPacketParser.Parse(Hex(ReadRequestHex));
        Assert.Equal(TftpParseStatus.Ok, r.Status);
        var rrq = Assert.IsType<TftpRequest>(r.Packet);
        Assert.Equal(TftpOpcode.ReadRequest, rrq.Opcode);
        Assert.Equal("boot.img", rrq.Filename);
        Assert.Equal("octet", rrq.Mode);
        Assert.Equal(new[] { new TftpOption("blksize", "1460"), new TftpOption("tsize", "0") }, rrq.Options);
        Assert.Equal(Hex(ReadRequestHex), TftpRequest.Read("boot.img", "octet", new("blksize", "1460"), new("tsize", "0")).ToBytes());
    }

    [Fact]
    public void WriteRequest_ParsesAndBuilds()
    {
        const string hex = "000275702e62696e004f4354455400";
        var wrq = Assert.IsType<TftpRequest>(TftpPacketParser.Parse(Hex(hex)).Packet);
        Assert.Equal(TftpOpcode.WriteRequest, wrq.Opcode);
        Assert.Equal(("up.bin", "OCTET"), (wrq.Filename, wrq.Mode));
        Assert.Empty(wrq.Options);
        Assert.Equal(Hex(hex), new TftpRequest(TftpOpcode.WriteRequest, "up.bin", "OCTET", []).ToBytes());
    }

    [Fact]
    public void Data_ParsesAndBuilds()
    {
        const string hex = "00030102616263";
        var data = Assert.IsType<TftpData>(TftpPacketParser.Parse(Hex(hex)).Packet);
        Assert.Equal(0x0102, data.Block);
        Assert.Equal("abc"u8.ToArray(), data.Data);
        Assert.Equal(Hex(hex), new TftpData(0x0102, "abc"u8.ToArray()).ToBytes());
    }

    [Fact]
    public void EmptyData_IsAValidFinalBlock()
    {
        var data = Assert.IsType<TftpData>(TftpPacketParser.Parse(Hex("00030007")).Packet);
        Assert.Equal(7, data.Block);
        Assert.Empty(data.Data);
    }

    [Fact]
    public void Ack_ParsesAndBuilds()
    {
        var ack = Assert.IsType<TftpAck>(TftpPacketParser.Parse(Hex("0004fffe")).Packet);
        Assert.Equal(0xFFFE, ack.Block);
        Assert.Equal(Hex("0004fffe"), new TftpAck(0xFFFE).ToBytes());
    }

    [Fact]
    public void Error_ParsesAndBuilds()
    {
        const string hex = "0005000146696c65206e6f7420666f756e6400";
        var error = Assert.IsType<TftpError>(TftpPacketParser.Parse(Hex(hex)).Packet);
        Assert.Equal((TftpErrorCode.FileNotFound, "File not found"), (error.Code, error.Message));
        Assert.Equal(Hex(hex), new TftpError(TftpErrorCode.FileNotFound, "File not found").ToBytes());
    }

    [Fact]
    public void Error_WithUnknownCode_KeepsTheNumber()
    {
        var error = Assert.IsType<TftpError>(TftpPacketParser.Parse(Hex("0005006300")).Packet);
        Assert.Equal(99, (int)error.Code);
        Assert.Equal("", error.Message);
    }

    [Fact]
    public void OptionAck_ParsesAndBuilds()
    {
        var oack = Assert.IsType<TftpOptionAck>(TftpPacketParser.Parse(Hex(OptionAckHex)).Packet);
        Assert.Equal(new[] { new TftpOption("blksize", "1460"), new TftpOption("tsize", "123456"), new TftpOption("windowsize", "16") },
            oack.Options);
        Assert.Equal(Hex(OptionAckHex), oack.ToBytes());
    }

    [Fact]
    public void Filename_IsUtf8()
    {
        var bytes = TftpRequest.Read("café/κ.bin").ToBytes();
        Assert.Equal(Encoding.UTF8.GetBytes("café/κ.bin"), bytes[2..^7]);
        Assert.Equal("café/κ.bin", Assert.IsType<TftpRequest>(TftpPacketParser.Parse(bytes).Packet).Filename);
    }
}

public class TftpPacket_Hostile
{
    static TftpParseResult Parse(string text) => TftpPacketParser.Parse(Encoding.Latin1.GetBytes(text));

    [Theory]
    [InlineData("", TftpParseStatus.Empty)]
    [InlineData("\0", TftpParseStatus.Truncated)]
    [InlineData("\0\0", TftpParseStatus.UnknownOpcode)]
    [InlineData("\0\u0007x\0octet\0", TftpParseStatus.UnknownOpcode)]
    [InlineData("\u00ff\u00ffxx", TftpParseStatus.UnknownOpcode)]
    [InlineData("\0\u0001", TftpParseStatus.Unterminated)]
    [InlineData("\0\u0001file", TftpParseStatus.Unterminated)]
    [InlineData("\0\u0001file\0octet", TftpParseStatus.Unterminated)]
    [InlineData("\0\u0001\0octet\0", TftpParseStatus.EmptyFilename)]
    [InlineData("\0\u0001file\0\0", TftpParseStatus.EmptyMode)]
    [InlineData("\0\u0001fi\u0001le\0octet\0", TftpParseStatus.BadFilename)]
    [InlineData("\0\u0001\u00ff\u00fe\0octet\0", TftpParseStatus.BadFilename)]
    [InlineData("\0\u0001file\0octet\0blksize\0", TftpParseStatus.OptionWithoutValue)]
    [InlineData("\0\u0001file\0octet\0blksize\u00001024", TftpParseStatus.Unterminated)]
    [InlineData("\0\u0001file\0octet\0\0x\0", TftpParseStatus.EmptyOptionName)]
    [InlineData("\0\u0003\0", TftpParseStatus.Truncated)]
    [InlineData("\0\u0004\0", TftpParseStatus.Truncated)]
    [InlineData("\0\u0004\0\u0001\0", TftpParseStatus.TrailingBytes)]
    [InlineData("\0\u0005\0", TftpParseStatus.Truncated)]
    [InlineData("\0\u0005\0\u0001oops", TftpParseStatus.Unterminated)]
    [InlineData("\0\u0005\0\u0001oops\0more", TftpParseStatus.TrailingBytes)]
    [InlineData("\0\u0006blksize", TftpParseStatus.Unterminated)]
    [InlineData("\0\u0006blksize\0", TftpParseStatus.OptionWithoutValue)]
    public void MalformedPacket_GivesItsStatus(string text, TftpParseStatus expected)
    {
        var r = Parse(text);
        Assert.Equal(expected, r.Status);
        Assert.Null(r.Packet);
    }

    [Fact]
    public void RequestPaddedWithNuls_IsAccepted()
    {
        var rrq = Assert.IsType<TftpRequest>(Parse("\0\u0001file\0octet\0tsize\u00000\0\0\0\0").Packet);
        Assert.Single(rrq.Options);
    }

    [Fact]
    public void RequestLongerThan512Bytes_IsTooLong()
    {
        // 2 + 504 + 1 + 6 = 513 bytes; one 'a' less is exactly 512 and fine.
        Assert.Equal(TftpParseStatus.TooLong, Parse("\0\u0001" + new string('a', 504) + "\0octet\0").Status);
        Assert.Equal(TftpParseStatus.Ok, Parse("\0\u0001" + new string('a', 503) + "\0octet\0").Status);
    }

    [Fact]
    public void UnknownOptions_AndDuplicates_SurviveParsing()
    {
        var rrq = Assert.IsType<TftpRequest>(Parse("\0\u0001f\0octet\0x-vendor\0abc\0blksize\u0000512\0BLKSIZE\u00001024\0").Packet);
        Assert.Equal(new[] { "x-vendor", "blksize", "BLKSIZE" }, rrq.Options.Select(o => o.Name));
    }

    [Fact]
    public void ParseResult_KeepsTheOpcodeOfABadPacket()
    {
        Assert.Equal(5, Parse("\0\u0005\0").RawOpcode);
        Assert.Equal(0, Parse("\0").RawOpcode);
    }
}

public class TftpPacket_Fuzz
{
    [Fact]
    public void RandomDatagrams_NeverThrow()
    {
        var random = new Random(1350);
        var buffer = new byte[700];
        for (int i = 0; i < 50_000; i++)
        {
            int length = random.Next(buffer.Length);
            random.NextBytes(buffer.AsSpan(0, length));
            if (length >= 2 && random.Next(2) == 0) { buffer[0] = 0; buffer[1] = (byte)random.Next(8); }
            var r = TftpPacketParser.Parse(buffer.AsSpan(0, length));
            Assert.Equal(r.Status == TftpParseStatus.Ok, r.Packet != null);
        }
    }

    [Fact]
    public void EveryTruncationOfValidPackets_ParsesOrFailsCleanly()
    {
        var packets = new TftpPacket[]
        {
            TftpRequest.Read("dir/file.bin", "octet", new("blksize", "1468"), new("tsize", "0"), new("windowsize", "8")),
            new TftpData(9, new byte[20]),
            new TftpAck(3),
            new TftpError(TftpErrorCode.OptionNegotiation, "no"),
            new TftpOptionAck([new("blksize", "1460")]),
        };
        foreach (var packet in packets)
        {
            var bytes = packet.ToBytes();
            for (int n = 0; n <= bytes.Length; n++)
            {
                var r = TftpPacketParser.Parse(bytes.AsSpan(0, n));
                if (n == bytes.Length) Assert.Equal(packet.Opcode, r.Packet!.Opcode);
                else if (r.IsOk) Assert.Equal(packet.Opcode, r.Packet!.Opcode); // e.g. DATA with fewer bytes, fewer options
            }
        }
    }
}
