using Atcp.EndToEnd.Tests.Support;
using static Atcp.EndToEnd.Tests.Support.TestbedHosts;

namespace Atcp.EndToEnd.Tests.Testbed;

/// <summary>Boards have no address: what they say goes out through AF_PACKET, as the virtual
/// board's emulated W5500 does, and must reach the clients through the bridge.</summary>
[Collection(NetworkOnlyCollection.Name)]
public class RawFrameTests(NetworkOnlyFixture fixture)
{
    readonly Support.Testbed _testbed = fixture.Testbed;

    [Fact]
    public void FramesSentByBoard_ReachClient_UnchangedAndFromBoardMac()
    {
        using var listener = _testbed.StartProbe(Client, "listen", "--src", BoardMac(1), "--count", "3", "--timeout", "5");
        _testbed.Probe(Board(1), "send", "--dst", ClientMac, "--payload", "frame {i} of three", "--count", "3");

        var summary = listener.Result(TimeSpan.FromSeconds(10));
        Assert.Equal(3, summary.GetProperty("frames").GetInt32());
        var frames = listener.Lines.Where(l => l.TryGetProperty("src", out _)).ToList();
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(BoardMac(1), frames[i].GetProperty("src").GetString());
            Assert.Equal(ClientMac, frames[i].GetProperty("dst").GetString());
            Assert.Equal(0x88B6, frames[i].GetProperty("ethertype").GetInt32());
            Assert.Equal("frame " + i + " of three", frames[i].GetProperty("payload").GetString());
        }
    }

    [Fact]
    public void FrameSentByBoard_DoesNotReachOtherBoardAddressedElsewhere()
    {
        // The bridge has learned where the client is (the listener's own traffic is not needed:
        // the first frame floods, later ones follow the table), so after a learning frame from the
        // client, a frame from b1 to the client no longer reaches b2.
        _testbed.Probe(Client, "send", "--dst", BoardMac(1), "--payload", "learn me");
        using var atBoard2 = _testbed.StartProbe(Board(2), "listen", "--src", BoardMac(1), "--count", "1", "--timeout", "1");
        _testbed.Probe(Board(1), "send", "--dst", ClientMac, "--payload", "for the client only");

        Assert.Equal(0, atBoard2.Result(TimeSpan.FromSeconds(5)).GetProperty("frames").GetInt32());
    }
}
