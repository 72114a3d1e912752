using Atcp.Firmware.Console;
using Atcp.Firmware.Tcp;
using Atcp.Wire;
using Atcp.Wire.Atcp;
using Atcp.Wire.Ethernet;
using Atcp.Wire.Link;

namespace Atcp.Firmware.Board
{
    /// <summary>Where the board's state machine (seed Fig. 12) is in its loop.</summary>
    public enum BoardPhase
    {
        /// <summary>Waiting for a frame from the NIC.</summary>
        WaitingForFrame = 0,
        /// <summary>Decoding a received frame (command decoder).</summary>
        Decoding = 1,
        /// <summary>Executing a command: opening the object, checking the range.</summary>
        Executing = 2,
        /// <summary>Building segments (pseudo-TCP packetizer).</summary>
        Packetizing = 3,
        /// <summary>Handing frames to the NIC.</summary>
        Sending = 4,
    }

    /// <summary>The board's state machine (seed Fig. 12): wait for a frame, decode it (command
    /// decoder), execute the command (disk or CD controller), packetize the reply as pseudo-TCP
    /// segments, send them; plus the timers that drive retransmission, progress reports, heartbeats
    /// and aborts. One call to <see cref="Poll"/> runs one turn of the loop; time is passed in.
    /// Fixed tables only: a stream slot per concurrent reply, preallocated frame buffers.</summary>
    public sealed partial class BoardEngine
    {
        /// <summary>Streams served at once.</summary>
        public const int MaxStreams = 16;
        /// <summary>Streams whose completion is remembered, to answer a repeated COMMAND with Complete
        /// and to ignore late CLIENT_ACKs quietly.</summary>
        const int RecentCount = 16;
        /// <summary>Frames read from the NIC per turn, so that sending keeps its share of the loop.</summary>
        const int MaxFramesPerPoll = 8;
        /// <summary>Segments one stream may send per turn before the next stream's turn.</summary>
        const int SegmentsPerStreamTurn = 4;

        readonly BoardConfig _config;
        readonly IFrameDevice _nic;
        readonly IBoardVolume[] _volumes;
        readonly BoardLog _log;
        readonly BoardCounters _counters = new BoardCounters();
        readonly AtcpFrameReader _reader;
        readonly AtcpFrameWriter _writer;
        readonly PseudoTcpPacketizer _packetizer;
        readonly ReplyStream[] _streams = new ReplyStream[MaxStreams];
        readonly PrefixPool _prefixes;
        readonly uint[] _recent = new uint[RecentCount];
        int _recentNext;
        // One frame buffer for the whole board, under three names for the three uses: a received
        // frame (_rx) is parsed into a repr before any answer (_control) is written, the NIC copies
        // a frame out before Transmit returns, and segments (_tx) are built and sent one at a time.
        // The one frame that outlives a call is a segment the NIC refused: while it waits, nothing
        // else touches the buffer (Poll neither receives nor answers until it is out).
        readonly byte[] _rx;
        readonly byte[] _tx;
        readonly byte[] _control;
        int _pendingLength;        // a built segment the NIC refused, resent before anything new
        long _pendingSinceMs;
        int _nextStream;           // round-robin start
        readonly int _headroom;
        readonly byte[] _frontEndMac = new byte[6];
        bool _frontEndKnown;
        uint _frontEndEpoch;
        long _bootMs = -1;
        long _nextHelloMs;
        long _helloReplyAtMs = long.MaxValue;

        /// <summary>Builds the engine over a NIC and volumes (null entries allowed: absent cards).</summary>
        public BoardEngine(BoardConfig config, IFrameDevice nic, IBoardVolume[] volumes, BoardLog log)
        {
            _config = config;
            _nic = nic;
            _volumes = volumes;
            _log = log;
            _headroom = nic.Headroom;
            _rx = new byte[_headroom + nic.MaxFrameLength + 2];
            _tx = _rx;
            _control = _rx;
            _reader = new AtcpFrameReader(config.ClusterId, config.ClusterKey, 0, config.BoardId, 1);
            _writer = new AtcpFrameWriter(config.ClusterId, config.ClusterKey, 0, config.BoardId, config.Mac, 0, config.BootEpoch);
            _packetizer = new PseudoTcpPacketizer((ushort)(config.BoardId * 7919));
            for (int i = 0; i < MaxStreams; i++) _streams[i] = new ReplyStream();
            _prefixes = new PrefixPool(PrefixPool.DefaultCapacity, _streams);
            InitMessages();
            InitDatagrams();
        }

        /// <summary>The phase the loop is in (for the console).</summary>
        public BoardPhase Phase { get; private set; }

        /// <summary>Counters since boot.</summary>
        public BoardCounters Counters { get { return _counters; } }

        /// <summary>The configuration in use.</summary>
        public BoardConfig Config { get { return _config; } }

        /// <summary>The volumes served.</summary>
        public IBoardVolume[] Volumes { get { return _volumes; } }

        /// <summary>The shared buffer of reply prefixes not yet acknowledged (for the console).</summary>
        public PrefixPool Prefixes { get { return _prefixes; } }

        /// <summary>The packetizer (checksum statistics).</summary>
        public PseudoTcpPacketizer Packetizer { get { return _packetizer; } }

        /// <summary>Stream slot i (for the console).</summary>
        public ReplyStream StreamAt(int i) { return _streams[i]; }

        /// <summary>Streams in progress.</summary>
        public int ActiveStreams
        {
            get { int n = 0; for (int i = 0; i < MaxStreams; i++) if (!_streams[i].IsFree) n++; return n; }
        }

        /// <summary>True once an authentic frame from the front-end arrived (HELLOs then go to it).</summary>
        public bool FrontEndKnown { get { return _frontEndKnown; } }

        /// <summary>Milliseconds since the first Poll.</summary>
        public long UptimeMs(long now) { return _bootMs < 0 ? 0 : now - _bootMs; }

        /// <summary>A segment the NIC keeps refusing this long is given up as lost (TCP sends it
        /// again): the buffer it holds is the board's only frame buffer. At 10 Mbit/s the W5500's
        /// 16 KB transmit buffer drains in 13 ms, so only a stuck chip or a dead link takes longer.</summary>
        const int PendingGiveUpMs = 100;

        /// <summary>One turn of the loop at time now.</summary>
        public void Poll(long now)
        {
            if (_bootMs < 0) { _bootMs = now; _nextHelloMs = now; }
            Phase = BoardPhase.WaitingForFrame;
            // A refused segment holds the frame buffer: it goes out first, or this turn waits (the
            // NIC keeps arriving frames meanwhile).
            if (_pendingLength > 0 && !FlushPending(now)) return;
            for (int i = 0; i < MaxFramesPerPoll; i++)
            {
                int length = _nic.Receive(_rx, _headroom, _rx.Length - _headroom);
                if (length <= 0) break;
                _counters.FramesIn++;
                Phase = BoardPhase.Decoding;
                OnFrame(length, now);
            }
            RunTimers(now);
            RunDatagramTimers(now);
            SendSegments(now);
            if (_pendingLength == 0) RunControl(now); // else heartbeats and ABORTs wait a turn
            Phase = BoardPhase.WaitingForFrame;
        }

        // Sends the refused segment; true when the buffer is free again (sent, or given up).
        bool FlushPending(long now)
        {
            if (_nic.Transmit(_tx, _headroom, _pendingLength))
            {
                _counters.FramesOut++;
                _pendingLength = 0;
                return true;
            }
            if (now - _pendingSinceMs < PendingGiveUpMs) return false;
            _counters.Drop(DropReason.TransmitBusy);
            _pendingLength = 0;
            return true;
        }

        // Keeps the segment just built in the frame buffer for the next turn.
        void HoldPending(int frameLength, long now)
        {
            _pendingLength = frameLength;
            _pendingSinceMs = now;
        }

        /// <summary>The earliest time Poll has timer work (when no frame arrives), for the caller's sleep.</summary>
        public long NextDeadline(long now)
        {
            long next = _nextHelloMs < _helloReplyAtMs ? _nextHelloMs : _helloReplyAtMs;
            for (int i = 0; i < MaxStreams; i++)
            {
                if (_streams[i].IsFree) continue;
                long d = _streams[i].Sender.NextDeadline;
                if (d < next) next = d;
                long report = _lastReportMs[i] + ProgressIntervalMs;
                if (report < next) next = report;
            }
            next = NextDatagramDeadline(next);
            long abort = NextAbortDeadline();
            return abort < next ? abort : next;
        }

        void OnFrame(int length, long now)
        {
            int at = _headroom;
            if (length < EthernetHeader.Length || EthernetHeader.GetEtherType(_rx, at) != EtherType.Atcp)
            {
                _counters.Drop(DropReason.NotAtcp);
                return;
            }
            ParseStatus status = _reader.Read(_rx, at, length);
            if (status != ParseStatus.Ok) { _counters.Drop(DropReasons.FromParseStatus(status)); return; }

            // The front-end restarted: the TCP state behind every stream is gone (SPEC 6.3).
            if (_frontEndKnown && _reader.Epoch != _frontEndEpoch)
            {
                _log.Add(now, LogLevel.Warning, "front-end restarted (epoch " + _frontEndEpoch.ToString() + " -> "
                    + _reader.Epoch.ToString() + "): dropping " + (ActiveStreams + ActiveDatagramStreams).ToString() + " streams");
                for (int i = 0; i < MaxStreams; i++) if (!_streams[i].IsFree) EndStream(i, false, now);
                AbortDatagrams(0, now);
            }
            if (!_frontEndKnown) _log.Add(now, LogLevel.Info, "front-end found at " + Text.Mac(_rx, at + EthernetHeader.SourceOffset));
            _frontEndEpoch = _reader.Epoch;
            _frontEndKnown = true;
            EthernetHeader.GetSource(_rx, at, _frontEndMac, 0);

            int body = _reader.BodyOffset, bodyLength = _reader.BodyLength; // BodyOffset is absolute in _rx
            switch ((AtcpMessageType)_reader.MessageType)
            {
                case AtcpMessageType.Command: OnCommand(body, bodyLength, now); break;
                case AtcpMessageType.ClientAck: OnClientAck(body, bodyLength, now); break;
                case AtcpMessageType.ClientAcks: OnClientAcks(body, bodyLength, now); break;
                case AtcpMessageType.Abort: OnAbort(body, bodyLength, now); break;
                case AtcpMessageType.PathMtu: OnPathMtu(body, bodyLength, now); break;
                case AtcpMessageType.HelloRequest: OnHelloRequest(body, bodyLength, now); break;
                case AtcpMessageType.InventoryRequest: OnInventoryRequest(body, bodyLength, now); break;
                case AtcpMessageType.CommandUdp: OnCommandUdp(body, bodyLength, now); break;
                case AtcpMessageType.DatagramAck: OnDatagramAck(body, bodyLength, now); break;
                default: _counters.Drop(DropReason.UnknownType); break;
            }
        }

        int FindStream(uint streamId)
        {
            for (int i = 0; i < MaxStreams; i++)
                if (!_streams[i].IsFree && _streams[i].StreamId == streamId) return i;
            return -1;
        }

        bool RecentlyEnded(uint streamId)
        {
            for (int i = 0; i < RecentCount; i++) if (_recent[i] == streamId && streamId != 0) return true;
            return false;
        }

        void RememberEnded(uint streamId)
        {
            _recent[_recentNext] = streamId;
            _recentNext = (_recentNext + 1) % RecentCount;
        }

        // Sends the control frame built in _control; counts a drop when the NIC has no room (the
        // front-end's retries recover: SPEC 6).
        void SendControl(int length)
        {
            if (length <= 0) return;
            if (_nic.Transmit(_control, _headroom, length)) _counters.FramesOut++;
            else _counters.Drop(DropReason.TransmitBusy);
        }

        byte[] ControlDestination { get { return _frontEndKnown ? _frontEndMac : Broadcast; } }

        static readonly byte[] Broadcast = new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF };
    }
}
