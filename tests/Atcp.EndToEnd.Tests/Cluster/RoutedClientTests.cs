using System.Globalization;
using Atcp.EndToEnd.Tests.Support;
using Atcp.TestSupport;
using Xunit.Abstractions;
using static Atcp.EndToEnd.Tests.Support.TestbedHosts;

namespace Atcp.EndToEnd.Tests.Cluster;

/// <summary>A client behind a router (client2, 198.19.0.100, via atcp-rt): the boards must send the
/// reply bodies to the next-hop MAC the front-end gave them (the router's), not to the client's.</summary>
[Collection(ClusterCollection.Name)]
public class RoutedClientTests(ClusterFixture fixture, ITestOutputHelper output)
{
    readonly ClusterContent _content = fixture.Content;

    [Fact]
    public void RoutedClient_DownloadsExact_BodiesFromBoardsThroughTheRouter()
    {
        var objects = new[] { _content.Medium, _content.KeepAlive[4], _content["cd:data/blob.bin"], _content["small/o4096.bin"] };
        string filter = "tcp and src host " + ServiceIp + " and dst host " + Client2Ip;
        // Headers only (96 bytes): the payload length is in the IP header.
        using var serviceSide = PacketCapture.Start(Router, fixture.ScratchFile("rt-eth0.pcap"), filter, snapLength: 96);
        using var farSide = PacketCapture.Start(Client2, fixture.ScratchFile("client2.pcap"), filter, snapLength: 96);
        foreach (var item in objects)
        {
            string file = fixture.ScratchFile("routed.bin");
            try
            {
                var transfer = Curl.Download(fixture.Testbed, Client2, item.Url, file);
                output.WriteLine(item.Url + ": " + (transfer.SpeedDownload / 1e6).ToString("0.0") + " MB/s");
                ContentAssert.SameBytes(item.Source, file, "client2 " + item.Url);
            }
            finally
            {
                File.Delete(file);
            }
        }

        string[] fields = ["eth.src", "eth.dst", "ip.ttl", "ip.len", "ip.hdr_len", "tcp.hdr_len"];
        var arriving = serviceSide.Decode(fields);
        var delivered = farSide.Decode(fields);
        var boardMacs = Enumerable.Range(1, ClusterFixture.Boards).Select(BoardFirmwareMac).ToHashSet();
        long totalBody = objects.Sum(o => o.Length);

        // On the service network, every segment to client2 is addressed to the router's MAC, and
        // the bodies come from the boards.
        Assert.NotEmpty(arriving);
        Assert.All(arriving, f => Assert.Equal(RouterMac, f["eth.dst"]));
        Assert.All(arriving, f => Assert.True(f["eth.src"] == FrontEndMac || boardMacs.Contains(f["eth.src"]!), "unexpected sender: " + f));
        long fromBoards = arriving.Where(f => boardMacs.Contains(f["eth.src"]!)).Sum(f => f.TcpPayloadLength());
        Assert.True(fromBoards >= totalBody, "boards sent " + fromBoards + " payload bytes towards the router for " + totalBody + " of bodies");

        // On the far network they arrive from the router, one hop later.
        Assert.True(delivered.Sum(f => f.TcpPayloadLength()) >= totalBody, "client2 saw too little payload");
        Assert.All(delivered, f => Assert.Equal(RouterFarMac, f["eth.src"]));
        Assert.All(delivered, f => Assert.Equal(Client2Mac, f["eth.dst"]));
        var ttlBefore = arriving.Select(f => int.Parse(f["ip.ttl"]!, CultureInfo.InvariantCulture)).Distinct().ToList();
        var ttlAfter = delivered.Select(f => int.Parse(f["ip.ttl"]!, CultureInfo.InvariantCulture)).Distinct().ToList();
        Assert.Equal(ttlBefore.Select(t => t - 1).Order(), ttlAfter.Order());
    }

}
