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

    [Fact]
    public void BoardState_ForSixteenStreams_AllocatesAtMostSixtyFourKilobytes()
    {
        // What the board allocates at boot for its engine (16 TCP and 8 datagram slots), both
        // volumes with the payload sources (one per slot, shared), the store, the ISO reader, the console and the
        // log, counted by the allocator on the host (64-bit references; see
        // BoardMemoryFootprintTests for the booted board walked object by object, drivers
        // included, and the nanoCLR estimate). Issue 3's goal is 64 KB; 106 KB before it was
        // worked on (per-slot 1 KB prefixes and per-handle name buffers dominated).
        var device = new RamBlockDevice(8 * 1024);
        Assert.Equal(StoreStatus.Ok, ObjectStore.Format(device, "heap", 292));
        var nic = new PooledDevice(); // the test's NIC stand-in is not board state
        var consolePort = new NullPort();
        var isoDevice = new RamBlockDevice(64);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var store = new ObjectStore(device);
        Assert.Equal(StoreStatus.Ok, store.Mount());
        var config = new BoardConfig();
        var iso = new Atcp.Firmware.Cd.IsoVolume(isoDevice);
        var sources = new PayloadSlots(BoardEngine.PayloadSources); // one per slot, shared as on the board
        var volumes = new IBoardVolume[]
        {
            new DiskVolume(0, store, sources), new CdVolume(1, iso, sources),
        };
        var log = new BoardLog();
        var console = new SerialConsole(consolePort);
        var engine = new BoardEngine(config, nic, volumes, log);
        long bytes = GC.GetAllocatedBytesForCurrentThread() - before;
        // The log's text ring is allocated whole up front: lines written later add nothing.
        Assert.True(bytes <= 64 * 1024, $"board state takes {bytes} bytes on the host");
        GC.KeepAlive(engine); GC.KeepAlive(console);
    }

    sealed class NullPort : Atcp.Firmware.Hal.ISerialPort
    {
        public int Read(byte[] buffer, int offset, int count) => 0;
        public void Write(byte[] buffer, int offset, int count) { }
    }
}
