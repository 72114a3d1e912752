using Atcp.EndToEnd.Tests.Support;
using Atcp.TestSupport;
using Xunit.Abstractions;
using static Atcp.EndToEnd.Tests.Support.TestbedHosts;

namespace Atcp.EndToEnd.Tests.Cluster;

/// <summary>What the client's NIC receives, in a tcpdump capture decoded by tshark with IPv4 and TCP
/// checksum validation: the reply bodies come from the MAC of the board holding the object, with
/// the service address as source, and no frame has a bad checksum.</summary>
[Collection(ClusterCollection.Name)]
public class CaptureTests(ClusterFixture fixture, ITestOutputHelper output)
{
    readonly ClusterContent _content = fixture.Content;

    static readonly string[] Fields = ["eth.src", "eth.dst", "ip.src", "ip.dst", "ip.len", "ip.hdr_len", "tcp.hdr_len", "tcp.srcport", "tcp.dstport", "tcp.flags.syn"];

    [Fact]
    public void Download_DataSegmentsFromTheHoldingBoard_ServiceAddressAsSource_ChecksumsValid()
    {
        var item = _content.Medium;
        int holder = fixture.Placement([item.Name])[item.Name][0];
        string file = fixture.ScratchFile("captured.bin");
        IReadOnlyList<TsharkFrame> frames;
        using (var capture = PacketCapture.Start(Client, fixture.ScratchFile("client.pcap"), "tcp and host " + ServiceIp))
        {
            Curl.Download(fixture.Testbed, Client, item.Url, file);
            frames = capture.Decode(Fields);
        }
        ContentAssert.SameBytes(item.Source, file, item.Url);
        File.Delete(file);

        var toClient = frames.Where(f => f["ip.dst"] == ClientIp).ToList();
        var data = toClient.Where(f => f.TcpPayloadLength() > 0).ToList();
        var bySender = data.GroupBy(f => f["eth.src"]!).ToDictionary(g => g.Key, g => g.Sum(f => f.TcpPayloadLength()));
        output.WriteLine(frames.Count + " frames; payload bytes to the client by sender MAC: " +
            string.Join(", ", bySender.Select(kv => kv.Key + " " + kv.Value)));

        Assert.NotEmpty(frames);
        Assert.All(frames, f => Assert.True(f.ChecksumErrors.Count == 0, "checksum error: " + f + " " + string.Join("; ", f.ChecksumErrors)));
        // Every segment to the client carries the service address and port, whoever sent it.
        Assert.All(toClient, f => Assert.Equal(ServiceIp, f["ip.src"]));
        Assert.All(toClient, f => Assert.Equal("80", f["tcp.srcport"]));
        Assert.All(toClient, f => Assert.Equal(ClientMac, f["eth.dst"]));
        // The handshake is the front-end's; the whole reply (header block and body) comes from the
        // first holder, from its own MAC.
        var synAck = toClient.Where(f => f["tcp.flags.syn"] is "1" or "True").ToList();
        Assert.NotEmpty(synAck);
        Assert.All(synAck, f => Assert.Equal(FrontEndMac, f["eth.src"]));
        Assert.True(bySender.GetValueOrDefault(BoardFirmwareMac(holder)) >= item.Length,
            "board " + holder + " (" + BoardFirmwareMac(holder) + ") sent less than the body: " + string.Join(", ", bySender));
        Assert.All(bySender.Keys, mac => Assert.True(mac == BoardFirmwareMac(holder) || mac == FrontEndMac, "payload from an unexpected MAC " + mac));
        // What the client sent went to the front-end's MAC (ARP for the service address is the front-end's).
        Assert.All(frames.Where(f => f["ip.src"] == ClientIp), f => Assert.Equal(FrontEndMac, f["eth.dst"]));
    }
}
