using Atcp.Emulation.SdCard;
using Atcp.Firmware.Disk.Sd;
using Atcp.Firmware.Hal;
using Atcp.Firmware.Store;

namespace Atcp.Firmware.Tests.Store;

/// <summary>The object store on a real SD driver (card model): payload reads go through the card's
/// byte stream, so consecutive segments of one object cost one transfer each, and interleaved streams
/// of two objects stop (CMD12) and restart the card's multiple block read at each switch, with every
/// byte right.</summary>
public class StreamingReadTests
{
    static (ObjectStore Store, SdCard Card, SdCardModel Model) Rig()
    {
        var model = new SdCardModel(new byte[4 * 1024 * 1024]);
        var card = new SdCard(model, model.ChipSelect, new Nic.VirtualClock(), model.CardDetect, true) { ClockControl = model };
        Assert.Equal(BlockStatus.Ok, card.Initialize());
        var store = StoreTestKit.FormatAndMount(card);
        return (store, card, model);
    }

    [Fact]
    public void ReadRange_ConsecutiveSegments_OneTransferPerSegmentOnTheCard()
    {
        var (store, card, _) = Rig();
        var data = StoreTestKit.Payload(3, 300_000);
        Assert.Equal(StoreStatus.Ok, StoreTestKit.Write(store, "a", data));
        var obj = StoreTestKit.Open(store, "a");
        var buffer = new byte[1460];
        card.Statistics.Reset();
        int segments = 0;
        for (long at = 0; at + 1460 <= data.Length; at += 1460, segments++)
        {
            Assert.Equal(StoreStatus.Ok, store.ReadRange(obj, at, buffer, 0, 1460));
            Assert.True(data.AsSpan((int)at, 1460).SequenceEqual(buffer), "segment at " + at);
        }
        Assert.InRange((double)card.Statistics.SpiTransactions / segments, 1.0, 1.02);
        Assert.InRange((double)card.Statistics.SpiBytes / card.Statistics.PayloadBytesRead, 1.0, 1.009);
    }

    [Fact]
    public void ReadRange_TwoObjectsInterleaved_StopAndRestartTheCardsReadAtEachSwitch()
    {
        var (store, card, model) = Rig();
        var first = StoreTestKit.Payload(1, 100_000);
        var second = StoreTestKit.Payload(2, 100_000);
        Assert.Equal(StoreStatus.Ok, StoreTestKit.Write(store, "one", first));
        Assert.Equal(StoreStatus.Ok, StoreTestKit.Write(store, "two", second));
        var a = StoreTestKit.Open(store, "one");
        var b = StoreTestKit.Open(store, "two");
        var buffer = new byte[1460];
        long commands = model.CommandsReceived;
        int switches = 0;
        for (long at = 0; at + 1460 <= first.Length; at += 1460)
        {
            Assert.Equal(StoreStatus.Ok, store.ReadRange(a, at, buffer, 0, 1460));
            Assert.True(first.AsSpan((int)at, 1460).SequenceEqual(buffer));
            Assert.Equal(StoreStatus.Ok, store.ReadRange(b, at, buffer, 0, 1460));
            Assert.True(second.AsSpan((int)at, 1460).SequenceEqual(buffer));
            switches += 2;
        }
        // Each switch: CMD12 for the stream left, CMD18 for the other (the first read opens only).
        Assert.Equal(2 * switches - 1, model.CommandsReceived - commands);
        Assert.True(card.IsStreaming);
    }
}
