using Atcp.Firmware.Console;
using Atcp.Firmware.Hal;
using Atcp.Firmware.Tcp;
using Atcp.Wire;
using Atcp.Wire.Atcp;
using Atcp.Wire.Tcp;

namespace Atcp.Firmware.Board
{
    public sealed partial class BoardEngine
    {
        /// <summary>Progress reports go out this often while bytes are unacknowledged (SPEC 6.1 step 6:
        /// at least every 1 s). Not more often: the front-end needs them only for its status pages
        /// (it sees every client ACK itself, and DONE says when the reply completed), and each one
        /// is a frame on its link.</summary>
        const int ProgressIntervalMs = 1000;

        // Per-slot bookkeeping the sender does not keep, as arrays rather than an object per slot
        // (nanoCLR spends a 12-byte block per object and per field): when the COMMAND was accepted,
        // when the last SERVICE_ACK went out, and the congestion window it carried.
        readonly long[] _startedMs = new long[MaxStreams];
        readonly long[] _lastReportMs = new long[MaxStreams];
        readonly long[] _reportedWindow = new long[MaxStreams];

        /// <summary>Growth of the congestion window is reported (doubling) up to this: beyond it the
        /// front-end's holding is bounded by its own K and T anyway (SPEC 6.1).</summary>
        const long WindowReportCeiling = 256 * 1024;

        // Command decoder + executor for COMMAND (seed Figs. 6 and 7).
        void OnCommand(int body, int length, long now)
        {
            AtcpCommandRepr c = _command;
            if (c.Parse(_rx, body, length) != ParseStatus.Ok) { _counters.Drop(DropReason.BadField); return; }
            Phase = BoardPhase.Executing;

            int existing = FindStream(c.StreamId);
            if (existing >= 0) { ReportProgress(existing, AtcpServiceStatus.InProgress, now); return; }
            if (RecentlyEnded(c.StreamId)) { Refuse(c.StreamId, AtcpServiceStatus.Complete); return; }

            if (c.Opcode != AtcpServiceOpcode.SendDiskObject && c.Opcode != AtcpServiceOpcode.SendCdFile)
            { Refuse(c.StreamId, AtcpServiceStatus.UnsupportedOpcode); return; }
            if ((c.Flags & AtcpCommandFlags.FinAfterReply) != 0)
            { Refuse(c.StreamId, AtcpServiceStatus.BadCommand); return; } // the front-end sends the FIN itself

            IBoardVolume volume = FindVolume(c.Volume);
            if (volume == null || !volume.IsMounted) { Refuse(c.StreamId, AtcpServiceStatus.NoSuchVolume); return; }
            bool wantsCd = c.Opcode == AtcpServiceOpcode.SendCdFile;
            if (wantsCd != (volume.Kind == AtcpVolumeKind.Cd)) { Refuse(c.StreamId, AtcpServiceStatus.NoSuchVolume); return; }

            int slot = FreeSlot();
            if (slot < 0) { Refuse(c.StreamId, AtcpServiceStatus.Busy); return; }
            // The prefix needs room in the shared pool until the client acknowledges it; when the
            // prefixes in flight fill it, this stream waits like one finding every slot taken.
            if (c.Prefix.Length > _prefixes.Capacity - _prefixes.Used)
            {
                _counters.PrefixPoolFull++;
                Refuse(c.StreamId, AtcpServiceStatus.Busy);
                return;
            }

            IPayloadSource source;
            AtcpServiceStatus open = volume.Open(c.Name.Bytes, c.Name.Offset, c.Name.Length, slot, out source);
            if (open != AtcpServiceStatus.Accepted) { Refuse(c.StreamId, open); return; }

            long size = source.Size;
            long offset = (long)c.RangeOffset;
            long rangeLength = c.RangeLength == ulong.MaxValue ? size - offset : (long)c.RangeLength;
            if (c.RangeOffset > (ulong)size || rangeLength < 0 || offset + rangeLength > size)
            { Refuse(c.StreamId, AtcpServiceStatus.BadRange); return; }

            ReplyStream s = _streams[slot];
            s.StreamId = c.StreamId;
            s.Source = source;
            s.RangeOffset = offset;
            s.RangeLength = rangeLength;
            s.PrefixLength = c.Prefix.Length;
            _prefixes.Take(s, c.Prefix.Bytes, c.Prefix.Offset, c.Prefix.Length); // room checked above
            s.PrefixSum = InternetChecksum.Sum(c.Prefix.Bytes, c.Prefix.Offset, s.PrefixLength);
            s.AckNumber = c.AckNumber;
            s.AdvertisedWindow = c.ServiceWindow;
            PseudoTcpPacketizer.WriteTemplate(s.HeaderTemplate, _config.Mac, c.NextHopMac, c.ServiceAddress, c.ServicePort,
                c.ClientAddress, c.ClientPort, c.Ttl);
            s.Planner.Configure(s.PrefixLength, offset, rangeLength, source.ChunkSize);
            int rttHint = c.SmoothedRttMs > 0 ? c.SmoothedRttMs : 0;
            s.Sender.Start(s.Planner, c.SequenceNumber, s.TotalLength, c.Mss, c.ClientWindow, c.WindowScale, rttHint, now,
                c.InitialWindow);
            _startedMs[slot] = now;
            _counters.StreamsStarted++;
            ReportProgress(slot, AtcpServiceStatus.Accepted, now);
            if (s.Sender.State == SenderState.Finished) EndStream(slot, true, now); // empty reply: nothing to send
        }

        void Refuse(uint streamId, AtcpServiceStatus status)
        {
            if (status != AtcpServiceStatus.Complete) _counters.CommandsRefused++;
            _serviceAck.StreamId = streamId;
            _serviceAck.Status = status;
            _serviceAck.ReplySize = AtcpServiceAck.UnknownSize;
            _serviceAck.BytesSent = 0;
            _serviceAck.BytesAcknowledged = 0;
            SendControl(_writer.Write(_control, _headroom, ControlDestination, 0, _serviceAck, 0));
        }

        void ReportProgress(int slot, AtcpServiceStatus status, long now)
        {
            ReplyStream s = _streams[slot];
            _serviceAck.StreamId = s.StreamId;
            _serviceAck.Status = status;
            _serviceAck.ReplySize = (ulong)s.TotalLength;
            _serviceAck.BytesSent = (ulong)s.Sender.HighestSent;
            _serviceAck.BytesAcknowledged = (ulong)s.Sender.Acknowledged;
            long window = s.Sender.CongestionWindow;
            _serviceAck.CongestionWindow = window > AtcpServiceAck.MaxCongestionWindow ? AtcpServiceAck.MaxCongestionWindow : (uint)window;
            SendControl(_writer.Write(_control, _headroom, ControlDestination, 0, _serviceAck, 0));
            _lastReportMs[slot] = now;
            _reportedWindow[slot] = window;
        }

        // The front-end holds client ACKs back by a fraction of this stream's congestion window
        // (SPEC 5.3, 6.1): tell it when the window was cut (loss recovery, RTO), so it does not hold
        // more than the board can send, or doubled (slow start), so it may hold more.
        void ReportWindowChange(int slot, long now)
        {
            long window = _streams[slot].Sender.CongestionWindow, reported = _reportedWindow[slot];
            if (window * 4 < reported * 3
                || (window >= reported * 2 && window >= AtcpServiceAck.GrowthReportFloor && reported < WindowReportCeiling))
                ReportProgress(slot, AtcpServiceStatus.InProgress, now);
        }

        // Seed Fig. 10: a relayed client ACK for a valid stream empties the buffer by the acked amount.
        void OnClientAck(int body, int length, long now)
        {
            if (_clientAck.Parse(_rx, body, length) != ParseStatus.Ok) { _counters.Drop(DropReason.BadField); return; }
            ApplyClientAck(_clientAck, now);
        }

        // CLIENT_ACKS (SPEC 5.12): one frame per front-end round with the relays for several of our
        // streams; each entry is a CLIENT_ACK body, applied in order. Applying one may build a
        // SERVICE_ACK or DONE in the frame buffer, so the entries are copied out first (one per
        // stream slot at most; more are dropped and counted). A bad entry is dropped alone.
        readonly byte[] _ackEntries = new byte[MaxStreams * AtcpClientAcks.EntryLength];

        void OnClientAcks(int body, int length, long now)
        {
            int count;
            if (AtcpClientAcks.ReadCount(_rx, body, length, out count) != ParseStatus.Ok) { _counters.Drop(DropReason.BadField); return; }
            int taken = count < MaxStreams ? count : MaxStreams;
            for (int i = taken; i < count; i++) _counters.Drop(DropReason.BadField);
            System.Array.Copy(_rx, body + AtcpClientAcks.EntriesOffset, _ackEntries, 0, taken * AtcpClientAcks.EntryLength);
            for (int i = 0; i < taken; i++)
            {
                if (_clientAck.Parse(_ackEntries, i * AtcpClientAcks.EntryLength, AtcpClientAcks.EntryLength) != ParseStatus.Ok)
                    _counters.Drop(DropReason.BadField);
                else ApplyClientAck(_clientAck, now);
            }
        }

        void ApplyClientAck(AtcpClientAckRepr a, long now)
        {
            int slot = FindStream(a.StreamId);
            if (slot < 0)
            {
                // Late ACKs after DONE are normal; anything else is an unknown stream (step 131).
                if (!RecentlyEnded(a.StreamId)) { _counters.Drop(DropReason.UnknownStream); Refuse(a.StreamId, AtcpServiceStatus.UnknownStream); }
                return;
            }
            ReplyStream s = _streams[slot];
            s.AckNumber = a.ServiceAckNumber;
            s.AdvertisedWindow = a.ServiceWindow;
            AckOutcome outcome = s.Sender.OnAck(a.AckNumber, a.Window, a.SackLeft, a.SackRight, a.SackCount, now);
            if (outcome == AckOutcome.BeyondSent) _counters.Drop(DropReason.AckBeyondSent);
            // The client has the whole prefix: it is never sent again, so its pool bytes go back.
            if (s.PrefixHeld > 0 && s.Sender.Acknowledged >= s.PrefixLength) _prefixes.Release(s);
            if (s.Sender.State == SenderState.Finished) EndStream(slot, true, now);
            else ReportWindowChange(slot, now);
        }

        void OnAbort(int body, int length, long now)
        {
            if (_abort.Parse(_rx, body, length) != ParseStatus.Ok) { _counters.Drop(DropReason.BadField); return; }
            for (int i = 0; i < MaxStreams; i++)
            {
                if (_streams[i].IsFree) continue;
                if (_abort.StreamId != 0 && _streams[i].StreamId != _abort.StreamId) continue;
                _log.Add(now, LogLevel.Info, "stream " + _streams[i].StreamId.ToString() + " aborted by the front-end ("
                    + AbortReasonName(_abort.Reason) + ")");
                EndStream(i, false, now);
            }
            AbortDatagrams(_abort.StreamId, now);
        }

        void OnPathMtu(int body, int length, long now)
        {
            if (_pathMtu.Parse(_rx, body, length) != ParseStatus.Ok) { _counters.Drop(DropReason.BadField); return; }
            int slot = FindStream(_pathMtu.StreamId);
            if (slot < 0) { _counters.Drop(DropReason.UnknownStream); return; }
            _streams[slot].Sender.SetMss(_pathMtu.Mtu - 40); // IPv4 + TCP headers without options
            _log.Add(now, LogLevel.Info, "stream " + _pathMtu.StreamId.ToString() + ": path MTU " + _pathMtu.Mtu.ToString());
        }

        void RunTimers(long now)
        {
            for (int i = 0; i < MaxStreams; i++)
            {
                ReplyStream s = _streams[i];
                if (s.IsFree) continue;
                bool timerRan = now >= s.Sender.NextDeadline;
                if (timerRan) s.Sender.OnTimer(now);
                if (s.Sender.State == SenderState.Failed)
                {
                    _log.Add(now, LogLevel.Warning, "stream " + s.StreamId.ToString() + ": client stopped acknowledging after "
                        + s.Sender.Timeouts.ToString() + " timeouts; aborting");
                    QueueAbort(s.StreamId, AtcpAbortReason.Timeout, now);
                    EndStream(i, false, now);
                    continue;
                }
                if (now - _lastReportMs[i] >= ProgressIntervalMs) ReportProgress(i, AtcpServiceStatus.InProgress, now);
                else if (timerRan) ReportWindowChange(i, now); // an RTO cuts the window
            }
        }

        // The packetizer and the NIC: round-robin over TCP and datagram streams alike, a few
        // segments or datagrams each per turn, so neither kind starves the other.
        void SendSegments(long now)
        {
            if (_pendingLength > 0 && !FlushPending(now)) return;
            const int slots = MaxStreams + MaxDatagramStreams;
            for (int n = 0; n < slots; n++)
            {
                int slot = (_nextStream + n) % slots;
                if (slot >= MaxStreams)
                {
                    if (_datagrams[slot - MaxStreams].IsFree) continue;
                    if (!SendDatagramTurn(slot - MaxStreams, now)) { _nextStream = (slot + 1) % slots; return; }
                    continue;
                }
                ReplyStream s = _streams[slot];
                if (s.IsFree) continue;
                for (int k = 0; k < SegmentsPerStreamTurn; k++)
                {
                    long offset; int segmentLength; bool retransmission;
                    Phase = BoardPhase.Packetizing;
                    if (!s.Sender.NextSegment(now, out offset, out segmentLength, out retransmission)) break;
                    byte flags = TcpFlags.Ack;
                    if (offset + segmentLength >= s.TotalLength) flags |= TcpFlags.Psh;
                    BlockStatus status = _packetizer.Build(s, offset, segmentLength, flags, _tx, _headroom);
                    if (status != BlockStatus.Ok)
                    {
                        _log.Add(now, LogLevel.Error, "stream " + s.StreamId.ToString() + ": medium read failed ("
                            + BlockStatusName(status) + ") at reply offset " + offset.ToString());
                        QueueAbort(s.StreamId, AtcpAbortReason.IoError, now);
                        EndStream(slot, false, now);
                        break;
                    }
                    if (retransmission) _counters.Retransmissions++;
                    _counters.PayloadBytesOut += segmentLength;
                    Phase = BoardPhase.Sending;
                    int frameLength = PseudoTcpPacketizer.HeaderLength + segmentLength;
                    if (!_nic.Transmit(_tx, _headroom, frameLength))
                    {
                        // Keep it; the NIC drains and it goes first. The next turn starts at the
                        // next stream: starting here again, the stream that filled the NIC would
                        // refill it every turn and the others would wait for it to end.
                        HoldPending(frameLength, now);
                        _nextStream = (slot + 1) % slots;
                        return;
                    }
                    _counters.FramesOut++;
                }
            }
            _nextStream = (_nextStream + 1) % slots;
        }

        void EndStream(int slot, bool completed, long now)
        {
            ReplyStream s = _streams[slot];
            if (completed)
            {
                _done.StreamId = s.StreamId;
                _done.TotalBytes = (ulong)s.TotalLength;
                _done.RetransmittedSegments = (uint)s.Sender.RetransmittedSegments;
                _done.DurationMs = (uint)(now - _startedMs[slot]);
                SendControl(_writer.Write(_control, _headroom, ControlDestination, 0, _done, 0));
                _counters.StreamsCompleted++;
            }
            else _counters.StreamsFailed++;
            RememberEnded(s.StreamId);
            _prefixes.Release(s);
            s.Sender.Reset();
            s.Source = null;
        }

        int FreeSlot()
        {
            for (int i = 0; i < MaxStreams; i++) if (_streams[i].IsFree) return i;
            return -1;
        }

        IBoardVolume FindVolume(byte id)
        {
            for (int i = 0; i < _volumes.Length; i++)
                if (_volumes[i] != null && _volumes[i].Id == id) return _volumes[i];
            return null;
        }

        /// <summary>A block status in words.</summary>
        public static string BlockStatusName(BlockStatus status)
        {
            switch (status)
            {
                case BlockStatus.Ok: return "ok";
                case BlockStatus.NoCard: return "no card";
                case BlockStatus.Timeout: return "card timeout";
                case BlockStatus.CrcError: return "CRC error";
                case BlockStatus.OutOfRange: return "out of range";
                case BlockStatus.ReadOnly: return "read-only";
                case BlockStatus.DeviceError: return "card error";
                default: return "not ready";
            }
        }
    }
}
