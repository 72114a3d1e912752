using Atcp.Wire;
using Atcp.Wire.Atcp;
using Atcp.Wire.Ethernet;

namespace Atcp.Frontend.Tests.Engine;

/// <summary>The replies of a keep-alive connection are one TCP byte stream: the next reply on the
/// same board starts from the congestion window that board reported for the previous one, unless
/// the connection idled (SPEC 5.1, initial window; RFC 5681 section 4.1).</summary>
public sealed class WindowCarryOverTests
{
    static readonly byte[] Big = Enumerable.Range(0, 600_000).Select(i => (byte)(i * 13 + (i >> 9))).ToArray();
    static readonly byte[] Small = Enumerable.Range(0, 30_000).Select(i => (byte)(i * 5)).ToArray();

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

    static SimulatedCluster Boot()
    {
        var c = new SimulatedCluster(1, [("big.bin", Big), ("small.bin", Small)]);
        c.Run(5000, () => c.FrontEnd.Dispatcher.Catalog.Count == 2);
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

        client.Request(Get("/big.bin") + Get("/small.bin"));
        c.Run(30_000, () => client.Responses().Count == 2);

        var responses = client.Responses();
        Assert.Equal(Big, responses[0].Body);
        Assert.Equal(Small, responses[1].Body);
        Assert.Equal(2, windows.Count);
        Assert.Equal(0u, windows[0]); // a new connection starts from RFC 3390's window
        Assert.InRange(windows[1], (uint)AtcpServiceAck.GrowthReportFloor, (uint)AtcpCommand.MaxInitialWindow);
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
