using Atcp.Firmware.Disk.Sd;

namespace Atcp.Firmware.Tests.Disk;

/// <summary>The driver's table-driven CRCs against published values and against a bitwise
/// implementation (SD Physical Layer Simplified Specification v4.10, §4.5).</summary>
public class SdCrcTests
{
    [Theory]
    // Frames from §7.2.2 (CMD0) and §4.3.13 (CMD8), and ones every SPI host sends.
    [InlineData(new byte[] { 0x40, 0, 0, 0, 0 }, 0x95)]
    [InlineData(new byte[] { 0x48, 0, 0, 0x01, 0xAA }, 0x87)]
    [InlineData(new byte[] { 0x77, 0, 0, 0, 0 }, 0x65)]
    [InlineData(new byte[] { 0x69, 0x40, 0, 0, 0 }, 0x77)]
    [InlineData(new byte[] { 0x7A, 0, 0, 0, 0 }, 0xFD)]
    [InlineData(new byte[] { 0x4C, 0, 0, 0, 0 }, 0x61)]
    public void Crc7_OfCommandFrame_GivesTheSpecificationsLastByte(byte[] frame, int lastByte)
    {
        Assert.Equal(lastByte, (SdCrc.Crc7(frame, 0, 5) << 1) | 1);
    }

    [Fact]
    public void Crc16_OfErasedBlock_Is7FA1()
    {
        var block = Enumerable.Repeat((byte)0xFF, 512).ToArray();
        Assert.Equal(0x7FA1, SdCrc.Crc16(block, 0, 512, 0));
    }

    [Fact]
    public void Crc16_OfCheckString_IsTheXmodemCheckValue()
    {
        var data = "123456789"u8.ToArray();
        Assert.Equal(0x31C3, SdCrc.Crc16(data, 0, data.Length, 0));
    }

    [Fact]
    public void Crc16_InPieces_EqualsCrc16OfTheWhole()
    {
        var data = SdRig.RandomImage(1, seed: 7);
        int whole = SdCrc.Crc16(data, 0, 512, 0);
        int pieces = SdCrc.Crc16(data, 0, 3, 0);
        pieces = SdCrc.Crc16(data, 3, 200, pieces);
        pieces = SdCrc.Crc16(data, 203, 309, pieces);
        Assert.Equal(whole, pieces);
    }

    [Fact]
    public void Crc16_OfAnyLength_MatchesBitwiseComputation()
    {
        var data = SdRig.RandomImage(2, seed: 3);
        for (int length = 0; length < 40; length++)
        {
            Assert.Equal(BitwiseCrc16(data.AsSpan(5, length)), SdCrc.Crc16(data, 5, length, 0));
        }
        Assert.Equal(BitwiseCrc16(data.AsSpan(0, 1024)), SdCrc.Crc16(data, 0, 1024, 0));
    }

    static int BitwiseCrc16(ReadOnlySpan<byte> data)
    {
        int crc = 0;
        foreach (byte b in data)
        {
            crc ^= b << 8;
            for (int bit = 0; bit < 8; bit++) crc = ((crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1) & 0xFFFF;
        }
        return crc;
    }
}
