using Atcp.Firmware.Board;
using Atcp.Firmware.Console;
using Atcp.Firmware.Store;
using Atcp.Wire.Atcp;
using Atcp.Wire.Ethernet;
using Atcp.Wire.Link;
using Atcp.Wire.Tcp;

namespace Atcp.Firmware.Tests.Board;

/// <summary>The board's data path allocates nothing per segment once streaming (nanoCLR's heap is
/// tens of KB and its GC pauses the loop): measured on the host runtime around the engine's poll.</summary>
[Collection(AllocationSensitive.Name)]
public class BoardEngineAllocationTests
{
    /// <summary>A NIC whose buffers are preallocated, so the device itself allocates nothing.</summary>
    sealed class PooledDevice : IFrameDevice
    {
        public readonly byte[][] Out = Enumerable.Range(0, 64).Select(_ => new byte[1514]).ToArray();
        public readonly int[] OutLength = new int[64];
        public int OutCount;
        public byte[] In = new byte[1514];
        public int InLength;
        public int Headroom => 3;
        public int MaxFrameLength => 1514;
        public int Receive(byte[] buffer, int offset, int capacity)
        {
            if (InLength == 0) return 0;
            Array.Copy(In, 0, buffer, offset, InLength);
            int n = InLength; InLength = 0;
            return n;
        }
        public bool Transmit(byte[] buffer, int offset, int length)
        {
            if (OutCount == Out.Length) return false;
            Array.Copy(buffer, offset, Out[OutCount], 0, length);
            OutLength[OutCount++] = length;
            return true;
        }
    }

    [Fact]
    public void Streaming_AFourMegabyteObject_AllocatesNothingPerSegment()
    {
        var config = new BoardConfig { BoardId = 5 };
        Array.Copy(BoardEngineHarness.Key, config.ClusterKey, 16);
        BoardConfig.DefaultMac(5, config.Mac);
        var device = new RamBlockDevice(32 * 1024);
        Assert.Equal(StoreStatus.Ok, ObjectStore.Format(device, "alloc", 292));
        var store = new ObjectStore(device);
        Assert.Equal(StoreStatus.Ok, store.Mount());
        var data = new byte[4 << 20];
        new Random(9).NextBytes(data);
        var w = store.Writer;
        Assert.Equal(StoreStatus.Ok, w.Begin("big.bin", data.Length, "application/octet-stream"));
        Assert.Equal(StoreStatus.Ok, w.Append(data, 0, data.Length));
        Assert.Equal(StoreStatus.Ok, w.Commit());
        var nic = new PooledDevice();
        var engine = new BoardEngine(config, nic, [new DiskVolume(0, store, BoardEngine.MaxStreams), null!], new BoardLog());
        var writer = new AtcpFrameWriter(BoardEngineHarness.ClusterId, BoardEngineHarness.Key, 0, 0, BoardEngineHarness.FrontEndMac, 0, 1);
        long now = 1000;
        engine.Poll(now); nic.OutCount = 0; // boot HELLO

        var h = new BoardEngineHarness();
        var cmd = h.Command(1, "big.bin", seq: 0, window: 65535, scale: 7);
        nic.InLength = writer.Write(nic.In, 0, config.Mac, 0, cmd, 0);
        var ack = new AtcpClientAckRepr { StreamId = 1, ServiceAckNumber = 77, Window = 65535, ServiceWindow = 4096 };

        long measured = 0, segments = 0, polls = 0;
        bool done = false;
        for (int i = 0; i < 200_000 && !done; i++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            engine.Poll(now);
            long delta = GC.GetAllocatedBytesForCurrentThread() - before;
            // The first polls start the stream (lookups, log line); steady state is what counts.
            if (engine.Counters.PayloadBytesOut > 256 * 1024) { measured += delta; polls++; }
            uint highest = 0;
            for (int k = 0; k < nic.OutCount; k++)
            {
                var f = nic.Out[k];
                if (EthernetHeader.GetEtherType(f, 0) == EtherType.Atcp)
                {
                    if (f[15] == (byte)AtcpMessageType.Done) done = true;
                    continue;
                }
                segments++;
                uint end = TcpHeader.GetSequenceNumber(f, 34) + (uint)(nic.OutLength[k] - 54);
                if (end > highest) highest = end;
            }
            nic.OutCount = 0;
            if (highest > 0)
            {
                ack.AckNumber = highest;
                nic.InLength = writer.Write(nic.In, 0, config.Mac, 0, ack, 0);
            }
            now += 1;
        }
        Assert.True(done, "the stream finished");
        Assert.True(segments > 2800, $"segments {segments}");
        Assert.True(measured == 0, $"{measured} bytes allocated over {polls} polls in steady state");
        Assert.Equal(0, engine.Packetizer.BytesSummedInManagedCode);
    }
}
