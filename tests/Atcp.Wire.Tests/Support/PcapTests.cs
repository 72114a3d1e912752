using System.Buffers.Binary;
using Atcp.TestSupport;

namespace Atcp.Wire.Tests.Support;

/// <summary>PcapWriter writes classic pcap that PcapReader and tshark read back.</summary>
public class PcapTests
{
    [Fact]
    public void Writer_WritesClassicHeaderForEthernet()
    {
        var stream = new MemoryStream();
        using (new PcapWriter(stream, leaveOpen: true)) { }
        var bytes = stream.ToArray();
        Assert.Equal(24, bytes.Length);
        Assert.Equal(0xA1B2C3D4u, BinaryPrimitives.ReadUInt32LittleEndian(bytes));
        Assert.Equal(2, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(4)));
        Assert.Equal(4, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(6)));
        Assert.Equal(65535u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(16)));
        Assert.Equal(1u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(20)));
    }

    [Fact]
    public void WriterThenReader_RoundTripsFramesAndTimestamps()
    {
        var stream = new MemoryStream();
        using (var writer = new PcapWriter(stream, leaveOpen: true))
        {
            writer.Write([1, 2, 3], TimeSpan.FromSeconds(1_700_000_000.25));
            writer.Write(new byte[] { 9, 4, 5, 6, 9 }, 1, 3, TimeSpan.FromMilliseconds(1500));
            writer.Write([7]);
            Assert.Equal(3, writer.FrameCount);
        }
        var (linkType, records) = PcapReader.Read(stream.ToArray());
        Assert.Equal(PcapWriter.LinkTypeEthernet, linkType);
        Assert.Equal(3, records.Count);
        Assert.Equal(new byte[] { 1, 2, 3 }, records[0].Data);
        Assert.Equal(TimeSpan.FromSeconds(1_700_000_000.25), records[0].Time);
        Assert.Equal(new byte[] { 4, 5, 6 }, records[1].Data);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), records[1].Time);
        Assert.Equal(TimeSpan.FromMilliseconds(1501), records[2].Time); // 1 ms after the previous
    }

    [Fact]
    public void Writer_CutsFramesAtSnapLengthButKeepsOriginalLength()
    {
        var stream = new MemoryStream();
        using (var writer = new PcapWriter(stream, leaveOpen: true, snapLength: 4))
            writer.Write(new byte[10], TimeSpan.Zero);
        var record = PcapReader.Read(stream.ToArray()).Records.Single();
        Assert.Equal(4, record.Data.Length);
        Assert.Equal(10, record.OriginalLength);
    }

    [Fact]
    public void Writer_RefusesTimesBefore1970()
    {
        using var writer = new PcapWriter(new MemoryStream());
        Assert.Throws<ArgumentOutOfRangeException>(() => writer.Write([1], TimeSpan.FromSeconds(-1)));
    }

    [Fact]
    public void Reader_RejectsNonPcapAndTruncatedFiles()
    {
        Assert.Throws<InvalidDataException>(() => PcapReader.Read(new byte[10]));
        Assert.Throws<InvalidDataException>(() => PcapReader.Read(new byte[24]));
        var stream = new MemoryStream();
        using (var writer = new PcapWriter(stream, leaveOpen: true)) writer.Write(new byte[8]);
        Assert.Throws<InvalidDataException>(() => PcapReader.Read(stream.ToArray()[..^1]));
    }

    [Fact]
    public void Reader_ReadsBigEndianNanosecondCapture()
    {
        var file = new byte[24 + 16 + 2];
        BinaryPrimitives.WriteUInt32BigEndian(file, 0xA1B23C4D);
        BinaryPrimitives.WriteUInt32BigEndian(file.AsSpan(20), 1);
        BinaryPrimitives.WriteUInt32BigEndian(file.AsSpan(24), 2);          // seconds
        BinaryPrimitives.WriteUInt32BigEndian(file.AsSpan(28), 500_000_000); // nanoseconds
        BinaryPrimitives.WriteUInt32BigEndian(file.AsSpan(32), 2);
        BinaryPrimitives.WriteUInt32BigEndian(file.AsSpan(36), 2);
        var record = PcapReader.Read(file).Records.Single();
        Assert.Equal(TimeSpan.FromSeconds(2.5), record.Time);
    }

    [Fact]
    public void WrittenFile_IsReadByTsharkWithTimes()
    {
        var path = Path.Combine(Path.GetTempPath(), "atcp-pcaptest-" + Guid.NewGuid().ToString("N") + ".pcap");
        try
        {
            using (var writer = PcapWriter.Create(path))
            {
                writer.Write(Golden.GoldenFrames.ArpRequest, TimeSpan.FromSeconds(1_000_000_000.5));
                writer.Write(Golden.GoldenFrames.Udp, TimeSpan.FromSeconds(1_000_000_001));
            }
            var frames = Tshark.Decode(path, "frame.time_epoch", "frame.len", "eth.type");
            Assert.Equal(2, frames.Count);
            Assert.StartsWith("1000000000.5", frames[0]["frame.time_epoch"]);
            Assert.Equal("42", frames[0]["frame.len"]);
            Assert.Equal("0x0806", frames[0]["eth.type"]);
            Assert.Equal("0x0800", frames[1]["eth.type"]);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
