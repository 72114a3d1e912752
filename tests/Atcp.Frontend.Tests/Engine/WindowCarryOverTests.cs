using Atcp.Wire;
using Atcp.Wire.Atcp;
using Atcp.Wire.Ethernet;

namespace Atcp.Frontend.Tests.Engine;

/// <summary>The replies of a keep-alive connection are one TCP byte stream: the next reply, from
/// whichever board, starts from the congestion window the previous reply's board reported, unless
/// the connection idled (SPEC 5.1, initial window; RFC 5681 section 4.1).</summary>
public sealed class WindowCarryOverTests
{
    static readonly byte[] Big = Enumerable.Range(0, 600_000).Select(i => (byte)(i * 13 + (i >> 9))).ToArray();
    static readonly byte[] Small = Enumerable.Range(0, 30_000).Select(i => (byte)(i * 5)).ToArray();
    static readonly string[] Others = ["s1.bin", "s2.bin", "s3.bin", "s4.bin", "s5.bin", "s6.bin"];

    // The initial window of every COMMAND the front-end sent, in order.
    static List<uint> CommandWindows(SimulatedCluster c)
    {
        var windows = new List<uint>();
        c.Tap = f =>
        {
            if (f.Length < AtcpFrame.Overhead || EthernetHeader.GetEtherType(f, 0) != EtherType.Atcp) return;
            if (AtcpHeader.GetMessageType(f, AtcpFrame.HeaderOffset) != (byte)AtcpMessageType.Command) return;
            if ((AtcpHeader.GetFlags(f, AtcpFrame.HeaderOffset) & AtcpHeaderFlags.Retransmission) != 0) return;
            windows.Add(NetworkOrder.ReadUInt32(f, AtcpFrame.BodyOffset + AtcpCommand.InitialWindowOffset));
        };
        return windows;
    }

    // Two boards, each object on one of them (placed by the front-end's hashing).
    static SimulatedCluster Boot()
    {
        var objects = new List<(string, byte[])> { ("big.bin", Big), ("small.bin", Small) };
        objects.AddRange(Others.Select(name => (name, Small)));
        var c = new SimulatedCluster(2, objects, copies: 1);
        c.Run(5000, () => c.FrontEnd.Dispatcher.Catalog.Count == objects.Count);
        return c;
    }

    static string Get(string path) => $"GET {path} HTTP/1.1\r\nHost: storage\r\n\r\n";

    [Fact]
    public void KeepAlive_NextReplySoonAfter_StartsFromTheReportedWindow()
    {
        var c = Boot();
        var windows = CommandWindows(c);
        var client = c.AddClient(0xC6120064, 40200);
        client.Connect();

        client.Request(Get("/big.bin") + string.Concat(Others.Select(o => Get("/" + o))));
        c.Run(30_000, () => client.Responses().Count == 1 + Others.Length);

        var responses = client.Responses();
        Assert.Equal(Big, responses[0].Body);
        Assert.All(responses.Skip(1), r => Assert.Equal(Small, r.Body));
        string fe = Convert.ToHexString(SimulatedCluster.FrontEndMac);
        Assert.Equal(2, client.DataBytesFromMac.Keys.Count(k => k != fe)); // both boards answered
        Assert.Equal(1 + Others.Length, windows.Count);
        Assert.Equal(0u, windows[0]); // a new connection starts from RFC 3390's window
        Assert.All(windows.Skip(1), w => Assert.InRange(w, (uint)AtcpServiceAck.GrowthReportFloor, (uint)AtcpCommand.MaxInitialWindow));
    }

    [Fact]
    public void KeepAlive_NextReplyAfterAnIdleSpell_StartsAfresh()
    {
        var c = Boot();
        var windows = CommandWindows(c);
        var client = c.AddClient(0xC6120064, 40201);
        client.Connect();
        client.Request(Get("/big.bin"));
        c.Run(30_000, () => client.Responses().Count == 1);
        c.Run(100, () => c.FrontEnd.Dispatcher.Counters.Completed == 1);

        c.Run(Atcp.Frontend.Engine.HttpDispatcher.WindowCarryMs + 50);
        client.Request(Get("/small.bin"));
        c.Run(10_000, () => client.Responses().Count == 2);

        Assert.Equal(Small, client.Responses()[1].Body);
        Assert.Equal(new uint[] { 0, 0 }, windows);
    }
}
