using Atcp.Frontend.Net;

namespace Atcp.Frontend.Tests.Engine;

/// <summary>The front-end's per-ACK work allocates nothing once a reply is streaming: client ACKs,
/// their relays to the board and the timers that flush held ACKs run without garbage, so the
/// daemon's garbage collector stays idle under load (frontend/Atcp.Frontend/README.md, performance).</summary>
public class FrontEndAllocationTests
{
    [Fact]
    public void ClientAcks_WhileAReplyStreams_AllocateNothingPerAckInTheFrontEnd()
    {
        var data = new byte[3_000_000];
        new Random(5).NextBytes(data);
        var c = new SimulatedCluster(1, [("big.bin", data)]);
        c.Run(5000, () => c.FrontEnd.Dispatcher.Catalog.Count == 1);
        var client = c.AddClient(0xC6120064, 40100);
        client.Connect();
        client.Request("GET /big.bin HTTP/1.1\r\nHost: storage\r\n\r\n");
        // Past the start (first COMMAND, first relays: one-time set-up), into steady streaming.
        // ACKs received: those the dispatcher saw, and those a later one in their batch superseded.
        long Acks() => c.FrontEnd.Dispatcher.Counters.ClientAcks + c.FrontEnd.Stack.Counters[NetCounter.TcpAcksSuperseded];
        c.Run(20_000, () => Acks() >= 200);
        long acks0 = Acks(), relays0 = c.FrontEnd.Dispatcher.Counters.RelayedAcks;
        c.FrontEndAllocatedBytes = 0;
        c.Run(20_000, () => Acks() >= acks0 + 1000);
        long acks = Acks() - acks0, relays = c.FrontEnd.Dispatcher.Counters.RelayedAcks - relays0;
        Assert.True(acks >= 1000, $"only {acks} client ACKs");
        Assert.True(relays > 0, "no ACK was relayed in the window");
        Assert.True(c.FrontEnd.Dispatcher.Counters.Completed == 0, "the reply ended inside the measured window");
        // Under a byte per ACK: a managed allocation per ACK or per relay is at least 24 bytes each.
        // (The runtime itself may allocate once on this thread, e.g. when tiered compilation swaps
        // code in under a loaded machine's delays: that is not the front-end's per-ACK work.)
        Assert.True(c.FrontEndAllocatedBytes < acks, c.FrontEndAllocatedBytes + " bytes over " + acks + " client ACKs");
    }
}
