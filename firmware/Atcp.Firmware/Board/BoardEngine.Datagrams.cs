using Atcp.Firmware.Console;
using Atcp.Firmware.Hal;
using Atcp.Firmware.Tcp;
using Atcp.Firmware.Udp;
using Atcp.Wire;
using Atcp.Wire.Atcp;

namespace Atcp.Firmware.Board
{
    public sealed partial class BoardEngine
    {
        /// <summary>Datagram (TFTP) streams served at once, besides the TCP streams.</summary>
        public const int MaxDatagramStreams = 8;
        /// <summary>Payload sources each volume needs: one per TCP slot, then one per datagram slot
        /// (datagram slot i opens its object as source MaxStreams + i).</summary>
        public const int PayloadSources = MaxStreams + MaxDatagramStreams;

        readonly DatagramStream[] _datagrams = new DatagramStream[MaxDatagramStreams];
        readonly long[] _datagramReportMs = new long[MaxDatagramStreams];
        PseudoUdpPacketizer _udpPacketizer;
        AtcpDatagramAckRepr _datagramAck;

        void InitDatagrams()
        {
            for (int i = 0; i < MaxDatagramStreams; i++) _datagrams[i] = new DatagramStream();
            _udpPacketizer = new PseudoUdpPacketizer((ushort)(_config.BoardId * 7907 + 1));
            _datagramAck = new AtcpDatagramAckRepr();
        }

        /// <summary>Datagram stream slot i (for the console).</summary>
        public DatagramStream DatagramAt(int i) { return _datagrams[i]; }

        /// <summary>Datagram streams in progress.</summary>
        public int ActiveDatagramStreams
        {
            get { int n = 0; for (int i = 0; i < MaxDatagramStreams; i++) if (!_datagrams[i].IsFree) n++; return n; }
        }

        /// <summary>True while any stream, TCP or datagram, is in progress: the run loop must not
        /// sleep then (a 1 ms idle sleep per wait for a TFTP ACK held lock-step TFTP to about one
        /// block per 1.4 ms on the virtual board).</summary>
        public bool HasStreams { get { return ActiveStreams > 0 || ActiveDatagramStreams > 0; } }

        /// <summary>The datagram packetizer (checksum statistics).</summary>
        public PseudoUdpPacketizer UdpPacketizer { get { return _udpPacketizer; } }

        int FindDatagram(uint streamId)
        {
            for (int i = 0; i < MaxDatagramStreams; i++)
                if (!_datagrams[i].IsFree && _datagrams[i].StreamId == streamId) return i;
            return -1;
        }

        // COMMAND_UDP (SPEC 5.2): like COMMAND, but the reply goes out as datagrams.
        void OnCommandUdp(int body, int length, long now)
        {
            AtcpCommandUdpRepr c = _commandUdp;
            if (c.Parse(_rx, body, length) != ParseStatus.Ok) { _counters.Drop(DropReason.BadField); return; }
            Phase = BoardPhase.Executing;

            int existing = FindDatagram(c.StreamId);
            if (existing >= 0) { ReportDatagram(existing, AtcpServiceStatus.InProgress, now); return; }
            if (FindStream(c.StreamId) >= 0) { Refuse(c.StreamId, AtcpServiceStatus.BadCommand); return; }
            if (RecentlyEnded(c.StreamId)) { Refuse(c.StreamId, AtcpServiceStatus.Complete); return; }

            if (c.Opcode != AtcpServiceOpcode.SendDiskObject && c.Opcode != AtcpServiceOpcode.SendCdFile)
            { Refuse(c.StreamId, AtcpServiceStatus.UnsupportedOpcode); return; }
            IBoardVolume volume = FindVolume(c.Volume);
            if (volume == null || !volume.IsMounted) { Refuse(c.StreamId, AtcpServiceStatus.NoSuchVolume); return; }
            bool wantsCd = c.Opcode == AtcpServiceOpcode.SendCdFile;
            if (wantsCd != (volume.Kind == AtcpVolumeKind.Cd)) { Refuse(c.StreamId, AtcpServiceStatus.NoSuchVolume); return; }

            int slot = -1;
            for (int i = 0; i < MaxDatagramStreams; i++) if (_datagrams[i].IsFree) { slot = i; break; }
            if (slot < 0) { Refuse(c.StreamId, AtcpServiceStatus.Busy); return; }

            IPayloadSource source;
            AtcpServiceStatus open = volume.Open(c.Name.Bytes, c.Name.Offset, c.Name.Length, MaxStreams + slot, out source);
            if (open != AtcpServiceStatus.Accepted) { Refuse(c.StreamId, open); return; }

            DatagramStream d = _datagrams[slot];
            AtcpServiceStatus started = d.Start(c, _config.Mac, source, now);
            if (started != AtcpServiceStatus.Accepted) { d.Release(); Refuse(c.StreamId, started); return; }
            _counters.StreamsStarted++;
            ReportDatagram(slot, AtcpServiceStatus.Accepted, now);
            if (d.Sender.State == SenderState.Finished) EndDatagram(slot, true, now); // Raw framing, nothing to send
        }

        void ReportDatagram(int slot, AtcpServiceStatus status, long now)
        {
            DatagramStream d = _datagrams[slot];
            _serviceAck.StreamId = d.StreamId;
            _serviceAck.Status = status;
            _serviceAck.ReplySize = (ulong)d.RangeLength;
            _serviceAck.BytesSent = (ulong)d.Sender.BytesSent;
            _serviceAck.BytesAcknowledged = (ulong)d.Sender.BytesAcknowledged;
            SendControl(_writer.Write(_control, _headroom, ControlDestination, 0, _serviceAck, 0));
            _datagramReportMs[slot] = now;
        }

        // SPEC 5.5: the client's ACK, relayed and unwrapped by the front-end.
        void OnDatagramAck(int body, int length, long now)
        {
            AtcpDatagramAckRepr a = _datagramAck;
            if (a.Parse(_rx, body, length) != ParseStatus.Ok) { _counters.Drop(DropReason.BadField); return; }
            int slot = FindDatagram(a.StreamId);
            if (slot < 0)
            {
                if (!RecentlyEnded(a.StreamId)) { _counters.Drop(DropReason.UnknownStream); Refuse(a.StreamId, AtcpServiceStatus.UnknownStream); }
                return;
            }
            DatagramStream d = _datagrams[slot];
            DatagramAckOutcome outcome = d.Sender.OnAck(a.Block, now);
            if (outcome == DatagramAckOutcome.BeyondSent) _counters.Drop(DropReason.AckBeyondSent);
            if (d.Sender.State == SenderState.Finished) EndDatagram(slot, true, now);
        }

        void AbortDatagrams(uint streamId, long now)
        {
            for (int i = 0; i < MaxDatagramStreams; i++)
            {
                if (_datagrams[i].IsFree) continue;
                if (streamId != 0 && _datagrams[i].StreamId != streamId) continue;
                _log.Add(now, LogLevel.Info, "datagram stream " + _datagrams[i].StreamId.ToString() + " aborted by the front-end");
                EndDatagram(i, false, now);
            }
        }

        void RunDatagramTimers(long now)
        {
            for (int i = 0; i < MaxDatagramStreams; i++)
            {
                DatagramStream d = _datagrams[i];
                if (d.IsFree) continue;
                if (now >= d.Sender.NextDeadline) d.Sender.OnTimer(now);
                if (d.Sender.State == SenderState.Failed)
                {
                    _log.Add(now, LogLevel.Warning, "datagram stream " + d.StreamId.ToString() + ": client stopped acknowledging after "
                        + d.Sender.Timeouts.ToString() + " timeouts; aborting");
                    QueueAbort(d.StreamId, d.Sender.FailReason, now);
                    EndDatagram(i, false, now);
                    continue;
                }
                // Progress reports keep the front-end's view fresh, as for TCP streams (SPEC 6.1.6).
                if (now - _datagramReportMs[i] >= ProgressIntervalMs) ReportDatagram(i, AtcpServiceStatus.InProgress, now);
            }
        }

        long NextDatagramDeadline(long next)
        {
            for (int i = 0; i < MaxDatagramStreams; i++)
            {
                if (_datagrams[i].IsFree) continue;
                long d = _datagrams[i].Sender.NextDeadline;
                if (d < next) next = d;
                long report = _datagramReportMs[i] + ProgressIntervalMs;
                if (report < next) next = report;
            }
            return next;
        }

        // One datagram stream's turn in the send loop. Returns false when the NIC is full (the built
        // frame is kept in _tx as pending).
        bool SendDatagramTurn(int slot, long now)
        {
            DatagramStream d = _datagrams[slot];
            for (int k = 0; k < SegmentsPerStreamTurn; k++)
            {
                uint block; long offset; int length; bool resend;
                Phase = BoardPhase.Packetizing;
                if (!d.Sender.NextBlock(now, out block, out offset, out length, out resend)) return true;
                BlockStatus status = _udpPacketizer.Build(d, block, offset, length, _tx, _headroom);
                if (status != BlockStatus.Ok)
                {
                    _log.Add(now, LogLevel.Error, "datagram stream " + d.StreamId.ToString() + ": medium read failed ("
                        + BlockStatusName(status) + ") at reply offset " + offset.ToString());
                    QueueAbort(d.StreamId, AtcpAbortReason.IoError, now);
                    EndDatagram(slot, false, now);
                    return true;
                }
                if (resend) _counters.Retransmissions++;
                _counters.PayloadBytesOut += length;
                Phase = BoardPhase.Sending;
                int frameLength = d.HeaderLength + length;
                if (!_nic.Transmit(_tx, _headroom, frameLength)) { HoldPending(frameLength, now); return false; }
                _counters.FramesOut++;
            }
            return true;
        }

        void EndDatagram(int slot, bool completed, long now)
        {
            DatagramStream d = _datagrams[slot];
            if (completed)
            {
                _done.StreamId = d.StreamId;
                _done.TotalBytes = (ulong)d.RangeLength;
                _done.RetransmittedSegments = (uint)d.Sender.Retransmitted;
                _done.DurationMs = (uint)(d.Sender.FinishedAt - d.StartedAt);
                SendControl(_writer.Write(_control, _headroom, ControlDestination, 0, _done, 0));
                _counters.StreamsCompleted++;
            }
            else _counters.StreamsFailed++;
            RememberEnded(d.StreamId);
            d.Release();
        }
    }
}
