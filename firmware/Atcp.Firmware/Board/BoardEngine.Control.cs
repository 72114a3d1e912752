using Atcp.Firmware.Console;
using Atcp.Wire;
using Atcp.Wire.Atcp;

namespace Atcp.Firmware.Board
{
    public sealed partial class BoardEngine
    {
        /// <summary>ABORTs are sent this many times, this far apart (SPEC 6.5).</summary>
        const int AbortRepeats = 3, AbortIntervalMs = 100;
        const int AbortSlots = 8;

        // One reusable repr per message type: parsing and emitting allocate nothing.
        AtcpCommandRepr _command;
        AtcpCommandUdpRepr _commandUdp;
        AtcpClientAckRepr _clientAck;
        AtcpServiceAckRepr _serviceAck;
        AtcpAbortRepr _abort;
        AtcpPathMtuRepr _pathMtu;
        AtcpDoneRepr _done;
        AtcpHelloRepr _hello;
        AtcpHelloRequestRepr _helloRequest;
        AtcpInventoryRequestRepr _inventoryRequest;
        AtcpInventoryRepr _inventory;

        readonly uint[] _abortStream = new uint[AbortSlots];
        readonly AtcpAbortReason[] _abortReason = new AtcpAbortReason[AbortSlots];
        readonly int[] _abortLeft = new int[AbortSlots];
        readonly long[] _abortAt = new long[AbortSlots];

        void InitMessages()
        {
            _command = new AtcpCommandRepr(true); // name and prefix read from _rx: no copies kept
            _commandUdp = new AtcpCommandUdpRepr(true);
            _clientAck = new AtcpClientAckRepr();
            _serviceAck = new AtcpServiceAckRepr();
            _abort = new AtcpAbortRepr();
            _pathMtu = new AtcpPathMtuRepr();
            _done = new AtcpDoneRepr();
            _hello = new AtcpHelloRepr();
            _helloRequest = new AtcpHelloRequestRepr();
            _inventoryRequest = new AtcpInventoryRequestRepr();
            _inventory = new AtcpInventoryRepr();
        }

        void RunControl(long now)
        {
            if (now >= _helloReplyAtMs)
            {
                _helloReplyAtMs = long.MaxValue;
                SendHello(true, now);
                // The reply counts as a beat and announces the (maybe new) interval: the next beat
                // follows at that interval, not at the one planned before the request (else a
                // front-end asking for 2 s hears nothing for up to 10 s and marks the board down).
                _nextHelloMs = now + _config.HeartbeatSeconds * 1000L;
            }
            if (now >= _nextHelloMs)
            {
                SendHello(false, now);
                _nextHelloMs = now + _config.HeartbeatSeconds * 1000L;
            }
            for (int i = 0; i < AbortSlots; i++)
            {
                if (_abortLeft[i] <= 0 || now < _abortAt[i]) continue;
                _abort.StreamId = _abortStream[i];
                _abort.Reason = _abortReason[i];
                SendControl(_writer.Write(_control, _headroom, ControlDestination, 0, _abort, 0));
                _abortLeft[i]--;
                _abortAt[i] = now + AbortIntervalMs;
            }
        }

        void QueueAbort(uint streamId, AtcpAbortReason reason, long now)
        {
            int slot = 0;
            for (int i = 0; i < AbortSlots; i++)
            {
                if (_abortLeft[i] == 0) { slot = i; break; }
                if (_abortAt[i] < _abortAt[slot]) slot = i; // all busy: reuse the oldest
            }
            _abortStream[slot] = streamId;
            _abortReason[slot] = reason;
            _abortLeft[slot] = AbortRepeats;
            _abortAt[slot] = now;
        }

        long NextAbortDeadline()
        {
            long next = long.MaxValue;
            for (int i = 0; i < AbortSlots; i++) if (_abortLeft[i] > 0 && _abortAt[i] < next) next = _abortAt[i];
            return next;
        }

        void OnHelloRequest(int body, int length, long now)
        {
            if (_helloRequest.Parse(_rx, body, length) != ParseStatus.Ok) { _counters.Drop(DropReason.BadField); return; }
            if (_helloRequest.HeartbeatIntervalSeconds > 0)
            {
                _config.HeartbeatSeconds = _helloRequest.HeartbeatIntervalSeconds;
                // The front-end expects beats at the new interval from now on (it counts missed
                // ones from its reply): a heartbeat still scheduled on a longer old interval would
                // come too late and get the board marked down.
                long due = now + _config.HeartbeatSeconds * 1000L;
                if (due < _nextHelloMs) _nextHelloMs = due;
            }
            // Spread the answers of many boards over the requested time (SPEC 5.7).
            _helloReplyAtMs = now + (_config.BoardId * 7) % (_helloRequest.ReplySpreadMs + 1);
        }

        /// <summary>Sends a HELLO now (heartbeat, or the answer to a HELLO_REQUEST).</summary>
        public void SendHello(bool reply, long now)
        {
            // A refused segment holds the frame buffer (see BoardEngine._rx): this beat is lost, as
            // it would be on a full NIC anyway.
            if (_pendingLength > 0) { _counters.Drop(DropReason.TransmitBusy); return; }
            AtcpHelloRepr h = _hello;
            h.BoardId = _config.BoardId;
            System.Array.Copy(_config.Mac, h.Mac, 6);
            h.FirmwareMajor = BoardConfig.FirmwareMajor;
            h.FirmwareMinor = BoardConfig.FirmwareMinor;
            h.FirmwarePatch = BoardConfig.FirmwarePatch;
            h.BootEpoch = _config.BootEpoch;
            h.UptimeSeconds = (uint)(UptimeMs(now) / 1000);
            h.ActiveStreams = (ushort)ActiveStreams;
            h.MaxStreams = MaxStreams;
            h.HeartbeatIntervalSeconds = (ushort)_config.HeartbeatSeconds;
            h.Flags = reply ? AtcpHelloFlags.Reply : (byte)0;
            uint generation = 0;
            int count = 0;
            for (int i = 0; i < _volumes.Length && count < AtcpHello.MaxVolumes; i++)
            {
                IBoardVolume v = _volumes[i];
                if (v == null || !v.IsMounted) continue;
                AtcpVolumeRepr r = h.Volumes[count++];
                r.Id = v.Id;
                r.Kind = v.Kind;
                r.Flags = v.Flags;
                SetLabel(r.Label, v.Label);
                r.CapacityBytes = (ulong)v.CapacityBytes;
                r.FreeBytes = (ulong)(v.FreeBytes < v.CapacityBytes ? v.FreeBytes : v.CapacityBytes);
                r.ObjectCount = (uint)v.ObjectCount;
                generation = generation * 31 + v.Generation + v.Id;
            }
            h.SetVolumeCount(count);
            h.InventoryGeneration = generation;
            SendControl(_writer.Write(_control, _headroom, ControlDestination, 0, h, 0));
        }

        static void SetLabel(AtcpByteString field, string label)
        {
            if (field.SetText(label) == ParseStatus.Ok) return;
            // Too long for the 32-byte field: cut at a character boundary.
            int cut = label.Length;
            while (cut > 0 && field.SetText(label.Substring(0, cut)) != ParseStatus.Ok) cut--;
        }

        void OnInventoryRequest(int body, int length, long now)
        {
            if (_inventoryRequest.Parse(_rx, body, length) != ParseStatus.Ok) { _counters.Drop(DropReason.BadField); return; }
            IBoardVolume v = FindVolume(_inventoryRequest.Volume);
            _inventory.ClearEntries();
            _inventory.Volume = _inventoryRequest.Volume;
            if (v == null || !v.IsMounted)
            {
                // An empty last page: the front-end learns the volume has nothing (any more).
                _inventory.Generation = 0;
                _inventory.TotalEntries = 0;
                _inventory.FirstIndex = 0;
                _inventory.Flags = AtcpInventoryFlags.LastPage;
            }
            else v.FillInventory(_inventoryRequest.FirstIndex, _inventoryRequest.MaxEntries, _inventory);
            SendControl(_writer.Write(_control, _headroom, ControlDestination, 0, _inventory, 0));
        }

        /// <summary>An abort reason in words.</summary>
        public static string AbortReasonName(AtcpAbortReason reason)
        {
            switch (reason)
            {
                case AtcpAbortReason.ClientReset: return "client reset";
                case AtcpAbortReason.Timeout: return "timeout";
                case AtcpAbortReason.IoError: return "I/O error";
                case AtcpAbortReason.Shutdown: return "shutdown";
                case AtcpAbortReason.Reassigned: return "reassigned";
                case AtcpAbortReason.ProtocolError: return "protocol error";
                case AtcpAbortReason.Administrative: return "administrative";
                case AtcpAbortReason.ClientUnreachable: return "client unreachable";
                default: return "reason " + ((int)reason).ToString();
            }
        }
    }
}
