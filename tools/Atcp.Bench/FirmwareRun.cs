using System.Diagnostics;
using Atcp.Emulation.W5500;
using Atcp.Firmware.Board;
using Atcp.Firmware.Hal;
using Atcp.VirtualBoard;
using Atcp.VirtualBoard.Hardware;
using Atcp.VirtualBoard.Media;
using Atcp.Wire;
using Atcp.Wire.Atcp;

namespace Atcp.Bench;

/// <summary>What one stream cost the board.</summary>
public sealed record StreamCost(
    string Source, long PayloadBytes, int Segments, int Retransmitted, double Seconds,
    long W5500SpiBytes, long W5500SpiTransactions, long SdSpiBytes, long SdSpiTransactions,
    long SteadySegments, long SteadySteps, long SteadyAllocatedBytes, int ClientAcksSent)
{
    /// <summary>Both buses' SPI bytes per payload byte.</summary>
    public double SpiBytesPerPayloadByte => (double)(W5500SpiBytes + SdSpiBytes) / PayloadBytes;
    /// <summary>Both buses' SPI transactions per data segment.</summary>
    public double SpiTransactionsPerSegment => (double)(W5500SpiTransactions + SdSpiTransactions) / Segments;
    /// <summary>Managed bytes the board's thread allocated per segment in steady state.</summary>
    public double AllocatedBytesPerSegment => SteadySegments == 0 ? 0 : (double)SteadyAllocatedBytes / SteadySegments;
}

/// <summary>One board on the emulated chips (the <see cref="EmulatedBoard"/> atcp-vboard uses), run
/// step by step on the calling thread, with the front-end's side played on the same thread: a
/// sealed COMMAND in, the board's segments taken off the chip's cable as they are sent, a cumulative
/// CLIENT_ACK every few segments as the front-end's relay sends them. Nothing else runs on this
/// thread while the board steps, so the thread's allocation counter around
/// <see cref="BoardRuntime.Step"/> is the board's (firmware and chip models).</summary>
public sealed class FirmwareRun : IDisposable
{
    const uint ClusterId = 0xA7C90001;
    const uint ClientAddress = 0xC6120064;  // 198.18.0.100
    const uint ServiceAddress = 0xC6120001; // 198.18.0.1
    const uint FirstSequence = 0xFFFF0000;  // crosses the 32-bit wrap early
    static readonly byte[] FrontEndMac = [0x02, 0xA7, 0xC9, 0x00, 0x00, 0x02];
    static readonly byte[] ClientMac = [0x02, 0xA7, 0xC9, 0x00, 0x00, 0x64];
    static readonly byte[] Key = BenchImages.Payload(16, 16);

    readonly W5500Model _chip = new();
    readonly EmulatedBoard _board;
    readonly BoardRuntime _runtime;
    readonly BoardConfig _config;
    readonly AtcpFrameWriter _writer;
    readonly AtcpFrameReader _reader;
    readonly byte[] _out = new byte[1600];

    // Filled by the FrameSent handler (inside Step, on this thread): no allocation there.
    readonly byte[][] _control = [new byte[1600], new byte[1600], new byte[1600], new byte[1600], new byte[1600], new byte[1600], new byte[1600], new byte[1600]];
    readonly int[] _controlLength = new int[8];
    int _controlCount, _controlLost;
    uint _sequence;
    long _contiguous, _expected;
    int _segments, _retransmitted;
    long _nextDebugMs;
    uint _streamId = 4000;
    static readonly bool Debug = Environment.GetEnvironmentVariable("ATCP_BENCH_DEBUG") == "1";

    /// <summary>Boots the firmware with the given card images (null: empty socket); sdBlockGap is
    /// the cards' idle bytes between blocks of a multiple block read (SdCardModel.ReadBlockGapBytes).</summary>
    public FirmwareRun(string? disk, string? cd, int sdBlockGap = 1)
    {
        _chip.FrameSent += OnFrame;
        _config = new BoardConfig { BoardId = 7, ClusterId = ClusterId, HeartbeatSeconds = 3600 };
        BoardConfig.DefaultMac(7, _config.Mac);
        Key.CopyTo(_config.ClusterKey, 0);
        _board = new EmulatedBoard(_chip, disk == null ? null : CardImages.OpenDisk(disk), cd == null ? null : CardImages.OpenCd(cd),
            new NullSerialPort(), new MonotonicClock(), _config);
        if (_board.DiskSocket.Card != null) _board.DiskSocket.Card.ReadBlockGapBytes = sdBlockGap;
        if (_board.CdSocket.Card != null) _board.CdSocket.Card.ReadBlockGapBytes = sdBlockGap;
        _runtime = BoardRuntime.Boot(_board.Hardware, _config, defaultsWin: true);
        _writer = new AtcpFrameWriter(ClusterId, Key, 0, 0, FrontEndMac, 0, 1);
        _reader = new AtcpFrameReader(ClusterId, Key, 0, 0, 16);
    }

    /// <summary>Streams name from volume to DONE; measures SPI over the whole stream and allocations
    /// once warmupFraction of the reply is acknowledged.</summary>
    public StreamCost Stream(string source, AtcpServiceOpcode opcode, byte volume, string name, string prefix, long objectBytes,
        int ackEverySegments, double warmupFraction, TimeSpan limit)
    {
        var command = new AtcpCommandRepr
        {
            StreamId = ++_streamId, ClientAddress = ClientAddress, ServiceAddress = ServiceAddress, ClientPort = (ushort)(40000 + _streamId % 1000), ServicePort = 80,
            SequenceNumber = FirstSequence, AckNumber = 0x11223344, ClientWindow = 65535, WindowScale = 7, Ttl = 64,
            ServiceWindow = 65535, Mss = 1460, Opcode = opcode, Volume = volume, RangeOffset = 0, RangeLength = ulong.MaxValue,
        };
        Array.Copy(ClientMac, command.ClientMac, 6);
        Array.Copy(ClientMac, command.NextHopMac, 6);
        Check(command.Name.SetText(name), "object name");
        Check(command.Prefix.SetText(prefix), "reply prefix");
        _sequence = FirstSequence;
        _expected = Utf8Length(prefix) + objectBytes;
        _contiguous = 0;
        _segments = _retransmitted = 0;
        var ack = new AtcpClientAckRepr { StreamId = command.StreamId, ServiceAckNumber = command.AckNumber, Window = 65535, ServiceWindow = 65535 };
        var serviceAck = new AtcpServiceAckRepr();
        var done = new AtcpDoneRepr();

        long nicBytes0 = _chip.Counters.SpiBytes, nicTransactions0 = _chip.Counters.SpiTransactions;
        long sdBytes0 = _board.SdBus.Bytes, sdTransactions0 = _board.SdBus.Transfers;
        long steadyFrom = (long)(_expected * warmupFraction);
        long steadySegments0 = -1, steadySteps = 0, allocated = 0;
        long ackedAt = 0;
        int segmentsAtAck = 0, acks = 0;
        bool finished = false;
        var watch = Stopwatch.StartNew();
        Send(command);
        while (!finished)
        {
            if (watch.Elapsed > limit)
                throw new TimeoutException(source + ": stream not done within " + limit + ": " + _contiguous + " of " + _expected + " bytes");
            if (Debug && watch.ElapsedMilliseconds >= _nextDebugMs)
            {
                _nextDebugMs = watch.ElapsedMilliseconds + 1000;
                Console.Error.WriteLine(source + ": " + watch.ElapsedMilliseconds + " ms, " + _segments + " segments, " + _contiguous + " of "
                    + _expected + " bytes, " + acks + " acks, frames out " + _chip.Counters.FramesTransmitted + ", in " + _chip.Counters.FramesReceived
                    + ", active " + _runtime.Engine.ActiveStreams + ", drops " + _runtime.Engine.Counters.TotalDrops);
            }
            int segmentsBefore = _segments;
            bool steady = _contiguous >= steadyFrom;
            if (steady && steadySegments0 < 0) steadySegments0 = _segments;
            long before = GC.GetAllocatedBytesForCurrentThread();
            _runtime.Step();
            long after = GC.GetAllocatedBytesForCurrentThread();
            if (steady) { allocated += after - before; steadySteps++; }

            for (int i = 0; i < _controlCount; i++)
            {
                byte[] frame = _control[i];
                if (_reader.Read(frame, 0, _controlLength[i]) != ParseStatus.Ok) continue;
                var type = (AtcpMessageType)_reader.MessageType;
                if (type == AtcpMessageType.ServiceAck && serviceAck.Parse(frame, _reader.BodyOffset, _reader.BodyLength) == ParseStatus.Ok
                    && serviceAck.StreamId == command.StreamId && serviceAck.IsError)
                    throw new InvalidOperationException(source + ": the board refused the COMMAND: " + serviceAck.Status);
                if (type == AtcpMessageType.Done && done.Parse(frame, _reader.BodyOffset, _reader.BodyLength) == ParseStatus.Ok
                    && done.StreamId == command.StreamId)
                    finished = true;
                if (type == AtcpMessageType.Abort)
                    throw new InvalidOperationException(source + ": the board aborted the stream after " + _contiguous + " bytes");
            }
            _controlCount = 0;

            // The relay: a CLIENT_ACK once K segments arrived, or at once when the board went quiet
            // with bytes unacknowledged (the daemon's T timer; here no time needs to pass).
            bool quiet = _segments == segmentsBefore;
            if (_contiguous > ackedAt && (_segments - segmentsAtAck >= ackEverySegments || quiet))
            {
                ack.AckNumber = _sequence + (uint)_contiguous;
                Send(ack);
                ackedAt = _contiguous;
                segmentsAtAck = _segments;
                acks++;
            }
        }
        double seconds = watch.Elapsed.TotalSeconds;
        if (_contiguous != _expected)
            throw new InvalidOperationException(source + ": DONE after " + _contiguous + " of " + _expected + " bytes");
        if (_controlLost > 0)
            throw new InvalidOperationException(source + ": " + _controlLost + " control frames did not fit the bench's queue");
        return new StreamCost(source, _expected, _segments, _retransmitted, seconds,
            _chip.Counters.SpiBytes - nicBytes0, _chip.Counters.SpiTransactions - nicTransactions0,
            _board.SdBus.Bytes - sdBytes0, _board.SdBus.Transfers - sdTransactions0,
            steadySegments0 < 0 ? 0 : _segments - steadySegments0, steadySteps, allocated, acks);
    }

    /// <summary>Runs under the chip's lock inside Step: takes data segments' sequence numbers and
    /// copies ATCP frames aside. Allocation-free so it does not count against the board.</summary>
    void OnFrame(ReadOnlySpan<byte> frame)
    {
        if (frame.Length < 14) return;
        if (frame[12] == 0x08 && frame[13] == 0x00)
        {
            int ip = 14, tcp = ip + (frame[ip] & 0x0F) * 4;
            int payload = tcp + (frame[tcp + 12] >> 4) * 4;
            int length = ip + ((frame[ip + 2] << 8) | frame[ip + 3]) - payload;
            if (length <= 0) return;
            uint seq = (uint)((frame[tcp + 4] << 24) | (frame[tcp + 5] << 16) | (frame[tcp + 6] << 8) | frame[tcp + 7]);
            long offset = (uint)(seq - _sequence);
            _segments++;
            if (offset == _contiguous) _contiguous += length;
            else _retransmitted++; // the emulated cable loses nothing: a repeat of bytes already taken
            return;
        }
        if (frame[12] == 0x88 && frame[13] == 0xB5)
        {
            if (_controlCount == _control.Length) { _controlLost++; return; }
            frame.CopyTo(_control[_controlCount]);
            _controlLength[_controlCount++] = frame.Length;
        }
    }

    void Send(IAtcpMessage message)
    {
        int length = _writer.Write(_out, 0, _config.Mac, 0, message, 0);
        if (length <= 0) throw new InvalidOperationException("the frame writer refused to seal " + message.MessageType);
        _chip.Deliver(_out.AsSpan(0, length));
    }

    static int Utf8Length(string text) => System.Text.Encoding.UTF8.GetByteCount(text);

    static void Check(ParseStatus status, string what)
    {
        if (status != ParseStatus.Ok) throw new ArgumentException("bad " + what + ": " + status);
    }

    /// <summary>Closes the card images.</summary>
    public void Dispose() => _board.Dispose();

    sealed class NullSerialPort : ISerialPort
    {
        public int Read(byte[] buffer, int offset, int count) => 0;
        public void Write(byte[] buffer, int offset, int count) { }
    }
}
