using Atcp.Firmware.Board;
using Atcp.Wire;
using Atcp.Wire.Atcp;
using Atcp.Wire.Tcp;
using Xunit.Abstractions;

namespace Atcp.Firmware.Tests.VirtualBoard;

/// <summary>The virtual board serves COMMANDs as the seed's back-end server: SERVICE_ACK Accepted
/// with the reply size, the reply as pseudo-TCP segments to the next hop carrying the service's
/// address, then DONE once the client acknowledged everything. Objects come from the disk card
/// and files from the CD card, both on the one SD bus.</summary>
[Collection(VirtualBoardCollection.Name)]
public sealed class VirtualBoardStreamingTests(ITestOutputHelper output) : IDisposable
{
    readonly BoardImages _images = new();
    public void Dispose() => _images.Dispose();

    const string Prefix = "HTTP/1.1 200 OK\r\nContent-Length: 200000\r\n\r\n";

    [Fact]
    public void Command_ForDiskObject_StreamsChecksummedSegmentsFromTheServiceAddressUntilDone()
    {
        byte[] video = BoardImages.Payload(42, 200_000);
        string disk = _images.Disk("disk.img", 8 << 20, "vdisk", ("videos/a.mp4", video, "video/mp4"), ("other.bin", BoardImages.Payload(1, 999), "application/octet-stream"));
        using var rig = new BoardRig(disk, null, boardId: 4);
        var command = StreamClient.Command(1001, AtcpServiceOpcode.SendDiskObject, BoardRuntime.DiskVolumeId, "videos/a.mp4", Prefix);

        StreamResult result = StreamClient.Fetch(rig, command, Prefix.Length + video.Length, TimeSpan.FromSeconds(30));

        Assert.Equal(AtcpServiceStatus.Accepted, result.FirstAck.Status);
        Assert.Equal((ulong)(Prefix.Length + video.Length), result.FirstAck.ReplySize);
        Assert.NotNull(result.Done);
        Assert.Equal((ulong)(Prefix.Length + video.Length), result.Done!.TotalBytes);
        Assert.Equal(Prefix, System.Text.Encoding.ASCII.GetString(result.Data, 0, Prefix.Length));
        Assert.Equal(video, result.Data[Prefix.Length..]);
        Assert.True(result.SegmentCount >= (Prefix.Length + video.Length) / 1460);
        foreach (var (segment, frame) in result.Segments.Zip(result.Frames))
        {
            Assert.True(segment.Status == ParseStatus.Ok, "segment did not decode (bad checksum?): " + segment);
            Assert.Equal(StreamClient.NextHopMac, frame[..6]);
            Assert.Equal(rig.Mac, frame[6..12]);
            Assert.Equal(StreamClient.ServiceAddress, segment.IPv4!.Source);
            Assert.Equal(StreamClient.ClientAddress, segment.IPv4.Destination);
            Assert.Equal(64, segment.IPv4.Ttl);
            Assert.Equal(80, segment.Tcp!.SourcePort);
            Assert.Equal(40000, segment.Tcp.DestinationPort);
            Assert.Equal(command.AckNumber, segment.Tcp.AcknowledgmentNumber);
            Assert.NotEqual(0, segment.Tcp.Flags & TcpFlags.Ack);
            Assert.True(segment.Payload.Length <= 1460);
        }
        Assert.Equal(0, rig.Board.SdBus.ContentionTransfers);
    }

    [Fact]
    public void Command_ForCdFile_StreamsTheFileFromTheIsoOnTheSharedBus()
    {
        byte[] file = BoardImages.Payload(7, 150_000);
        string disk = _images.Disk("disk.img", 4 << 20, "vdisk", ("x.bin", BoardImages.Payload(2, 10), "application/octet-stream"));
        string cd = _images.Iso("cd.iso", "MOVIES", ("films/trailer.bin", file), ("readme.txt", "hi"u8.ToArray()));
        using var rig = new BoardRig(disk, cd, boardId: 5);
        var command = StreamClient.Command(2002, AtcpServiceOpcode.SendCdFile, BoardRuntime.CdVolumeId, "films/trailer.bin");

        StreamResult result = StreamClient.Fetch(rig, command, file.Length, TimeSpan.FromSeconds(30));

        Assert.Equal(AtcpServiceStatus.Accepted, result.FirstAck.Status);
        Assert.NotNull(result.Done);
        Assert.Equal(file, result.Data);
        Assert.All(result.Segments, s => Assert.Equal(ParseStatus.Ok, s.Status));
        // Both cards were used through their own chip selects, never together.
        Assert.True(rig.Board.CdSocket.Bytes > file.Length, "the CD card carried the file");
        Assert.True(rig.Board.DiskSocket.Bytes > 0, "the disk card was mounted");
        Assert.Equal(0, rig.Board.SdBus.ContentionTransfers);
        Assert.Equal(0, rig.Board.CdSocket.Card!.BlocksWritten); // a CD is never written
    }

    [Fact]
    public void Command_ForMissingObject_IsRefusedWithNotFound()
    {
        string disk = _images.Disk("disk.img", 4 << 20, "vdisk", ("present.bin", BoardImages.Payload(3, 100), "application/octet-stream"));
        using var rig = new BoardRig(disk, null);
        var command = StreamClient.Command(3003, AtcpServiceOpcode.SendDiskObject, BoardRuntime.DiskVolumeId, "absent.bin");

        StreamResult result = StreamClient.Fetch(rig, command, 0, TimeSpan.FromSeconds(10));

        Assert.Equal(AtcpServiceStatus.NotFound, result.FirstAck.Status);
        Assert.Equal(0, result.SegmentCount);
        Assert.Null(result.Done);
    }

    /// <summary>Measures the emulated board: a 10 MB object to a client that acknowledges each
    /// segment at once. The figures (printed) are the emulation's, not an ESP32's: the firmware runs
    /// as .NET code on the host; SPI costs are what the firmware's drivers put on the buses.</summary>
    [Fact]
    public void Command_ForTenMegabyteObject_CompletesAndReportsThroughputAndSpiCost()
    {
        const int size = 10_000_000;
        byte[] big = BoardImages.Payload(10, size);
        string disk = _images.Disk("disk.img", 24 << 20, "bench", ("big.bin", big, "application/octet-stream"));
        using var rig = new BoardRig(disk, null, boardId: 6);
        var command = StreamClient.Command(4004, AtcpServiceOpcode.SendDiskObject, BoardRuntime.DiskVolumeId, "big.bin");
        long nicBytes0 = rig.Chip.Counters.SpiBytes, nicTransactions0 = rig.Chip.Counters.SpiTransactions;
        long sdBytes0 = rig.Board.SdBus.Bytes, sdTransactions0 = rig.Board.SdBus.Transfers;

        StreamResult result = StreamClient.Fetch(rig, command, size, TimeSpan.FromSeconds(60), verify: false);

        Assert.NotNull(result.Done);
        Assert.Equal(big, result.Data);
        double seconds = result.Elapsed.TotalSeconds;
        long nicBytes = rig.Chip.Counters.SpiBytes - nicBytes0, nicTransactions = rig.Chip.Counters.SpiTransactions - nicTransactions0;
        long sdBytes = rig.Board.SdBus.Bytes - sdBytes0, sdTransactions = rig.Board.SdBus.Transfers - sdTransactions0;
        int segments = result.SegmentCount;
        output.WriteLine($"10 MB in {seconds:F2} s = {size / seconds / 1e6:F2} MB/s, {segments} segments, {rig.Runtime.Engine.Counters.Retransmissions} retransmitted");
        output.WriteLine($"W5500 SPI: {nicBytes} bytes = {(double)nicBytes / size:F3} per payload byte, {nicTransactions} transactions = {(double)nicTransactions / segments:F2} per segment");
        output.WriteLine($"SD SPI:    {sdBytes} bytes = {(double)sdBytes / size:F3} per payload byte, {sdTransactions} transactions = {(double)sdTransactions / segments:F2} per segment");
        output.WriteLine($"both:      {(double)(nicBytes + sdBytes) / size:F3} SPI bytes per payload byte, {(double)(nicTransactions + sdTransactions) / segments:F2} transactions per segment");
        // Sanity bounds a regression would break: every payload byte crosses each bus at least once.
        Assert.True(nicBytes > size && sdBytes > size);
        Assert.True(segments >= size / 1460);
    }
}
