using Atcp.Frontend.Cluster;
using Atcp.Frontend.Net;
using Atcp.Wire;
using Atcp.Wire.Atcp;

namespace Atcp.Frontend.Engine;

/// <summary>Receives stream messages from boards (SERVICE_ACK, DONE, ABORT).</summary>
public interface IStreamMessages
{
    /// <summary>A SERVICE_ACK for stream id from board.</summary>
    void OnServiceAck(ushort board, AtcpServiceAckRepr ack, long now);
    /// <summary>A DONE.</summary>
    void OnDone(ushort board, AtcpDoneRepr done, long now);
    /// <summary>An ABORT (stream id 0: every stream of that board).</summary>
    void OnAbort(ushort board, AtcpAbortRepr abort, long now);
    /// <summary>The board went down or restarted: its streams are lost.</summary>
    void OnBoardLost(ushort board, string why, long now);
    /// <summary>The set of known objects changed.</summary>
    void OnInventoryChanged(long now);
}

/// <summary>The front-end's side of the ATCP data link: seals and sends frames to boards, reads and
/// checks theirs, keeps the board registry (discovery by HELLO, health by heartbeat) and pages in
/// inventories (SPEC 6.3, 6.4).</summary>
public sealed class BoardChannel
{
    const int InventoryRetryMs = 200;

    readonly FrontendOptions _options;
    readonly IFrameOutput _output;
    readonly IStreamMessages _streams;
    readonly AtcpFrameWriter _writer;
    readonly AtcpFrameReader _reader;
    readonly byte[] _frame = new byte[AtcpFrame.MaxFrameLength];
    readonly Dictionary<ushort, byte[]> _macs = new();
    readonly Dictionary<ushort, InventorySync> _syncs = new();
    readonly AtcpHelloRepr _hello = new();
    readonly AtcpServiceAckRepr _serviceAck = new();
    readonly AtcpDoneRepr _done = new();
    readonly AtcpAbortRepr _abort = new();
    readonly AtcpInventoryRepr _inventory = new();
    long _nextHelloRequest;
    // "sent TYPE" counts by message type: a relay per few client ACKs must neither build nor hash a
    // string, so they go into Counters (as "sent TYPE") only when someone reads it.
    readonly long[] _sent = new long[256];
    readonly string?[] _sentNames = new string?[256];
    readonly Dictionary<string, long> _counters = new();

    /// <summary>The boards.</summary>
    public BoardRegistry Registry { get; }

    /// <summary>Frames received from boards, by outcome, and frames sent, by type ("sent HELLO_REQUEST").</summary>
    public Dictionary<string, long> Counters
    {
        get
        {
            for (int type = 0; type < _sent.Length; type++)
                if (_sent[type] > 0) _counters[_sentNames[type] ??= "sent " + AtcpMessageTypes.Name((byte)type)] = _sent[type];
            return _counters;
        }
    }

    /// <summary>A channel sending through output and reporting stream messages to streams.</summary>
    public BoardChannel(FrontendOptions options, BoardRegistry registry, IFrameOutput output, IStreamMessages streams)
    {
        _options = options;
        _output = output;
        _streams = streams;
        Registry = registry;
        _writer = new AtcpFrameWriter(options.ClusterId, options.ClusterKey, 0, 0, options.Net.MacAddress, 0, options.BootEpoch);
        _reader = new AtcpFrameReader(options.ClusterId, options.ClusterKey, 0, 0, 1024);
    }

    void Count(string what) => _counters[what] = _counters.GetValueOrDefault(what) + 1;

    /// <summary>The MAC of a board, or null when unknown.</summary>
    public byte[]? MacOf(ushort board) => _macs.GetValueOrDefault(board);

    /// <summary>Seals message to board (by id) and sends it; false when the board's MAC is unknown.</summary>
    public bool Send(ushort board, IAtcpMessage message, ushort flags = 0)
    {
        if (!_macs.TryGetValue(board, out var mac)) return false;
        return SendTo(mac, message, flags);
    }

    bool SendTo(byte[] mac, IAtcpMessage message, ushort flags)
    {
        int n = _writer.Write(_frame, 0, mac, 0, message, flags);
        if (n <= 0) { Count("send refused"); return false; }
        _output.SendFrame(_frame.AsSpan(0, n));
        _sent[(byte)message.MessageType]++;
        return true;
    }

    /// <summary>Broadcasts HELLO_REQUEST (at start and periodically, so late boards are found fast).</summary>
    public void RequestHellos(long now)
    {
        var request = new AtcpHelloRequestRepr { ReplySpreadMs = 200, HeartbeatIntervalSeconds = (ushort)_options.HeartbeatSeconds };
        SendTo([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF], request, 0);
        _nextHelloRequest = now + 30_000;
    }

    /// <summary>An ATCP frame from the wire.</summary>
    public void OnFrame(byte[] frame, int length, long now)
    {
        ParseStatus status = _reader.Read(frame, 0, length);
        if (status != ParseStatus.Ok) { Count("dropped " + status.ToString()); return; }
        ushort board = _reader.SenderId;
        int body = _reader.BodyOffset, bodyLength = _reader.BodyLength;
        switch ((AtcpMessageType)_reader.MessageType)
        {
            case AtcpMessageType.Hello:
                if (_hello.Parse(frame, body, bodyLength) != ParseStatus.Ok || _hello.BoardId != board) { Count("bad HELLO"); return; }
                OnHello(frame, now);
                break;
            case AtcpMessageType.ServiceAck:
                if (_serviceAck.Parse(frame, body, bodyLength) != ParseStatus.Ok) { Count("bad SERVICE_ACK"); return; }
                _streams.OnServiceAck(board, _serviceAck, now);
                break;
            case AtcpMessageType.Done:
                if (_done.Parse(frame, body, bodyLength) != ParseStatus.Ok) { Count("bad DONE"); return; }
                _streams.OnDone(board, _done, now);
                break;
            case AtcpMessageType.Abort:
                if (_abort.Parse(frame, body, bodyLength) != ParseStatus.Ok) { Count("bad ABORT"); return; }
                _streams.OnAbort(board, _abort, now);
                break;
            case AtcpMessageType.Inventory:
                if (_inventory.Parse(frame, body, bodyLength) != ParseStatus.Ok) { Count("bad INVENTORY"); return; }
                OnInventory(board, now);
                break;
            default:
                Count("unknown type " + _reader.MessageType);
                break;
        }
    }

    void OnHello(byte[] frame, long now)
    {
        var h = _hello;
        var volumes = new List<VolumeInfo>();
        for (int i = 0; i < h.VolumeCount; i++)
        {
            var v = h.Volumes[i];
            volumes.Add(new VolumeInfo(v.Id, v.Kind == AtcpVolumeKind.Cd, v.Label.ToText(), (long)v.CapacityBytes, (long)v.FreeBytes, v.ObjectCount));
        }
        var info = new HelloInfo(h.BoardId, (byte[])h.Mac.Clone(), h.FirmwareMajor + "." + h.FirmwareMinor + "." + h.FirmwarePatch,
            h.BootEpoch, h.UptimeSeconds, h.InventoryGeneration, h.ActiveStreams, h.MaxStreams, h.HeartbeatIntervalSeconds * 1000, volumes);
        // Frames go to the MAC the board's frames come from (the HELLO's own field says the same).
        _macs[h.BoardId] = frame[6..12];
        var outcome = Registry.OnHello(info, now);
        if (outcome == HelloOutcome.Rebooted) _streams.OnBoardLost(h.BoardId, "restarted", now);
        if (Registry.NeedsInventory(h.BoardId) && !_syncs.ContainsKey(h.BoardId)) StartInventory(h.BoardId, info, now);
    }

    sealed class InventorySync
    {
        public required HelloInfo Hello;
        public int VolumeIndex;
        public uint NextIndex;
        public uint? Generation;
        public long RetryAt;
        public readonly List<ObjectEntry> Entries = [];
    }

    void StartInventory(ushort board, HelloInfo hello, long now)
    {
        var sync = new InventorySync { Hello = hello };
        _syncs[board] = sync;
        RequestPage(board, sync, now);
    }

    void RequestPage(ushort board, InventorySync sync, long now)
    {
        if (sync.VolumeIndex >= sync.Hello.Volumes.Count)
        {
            _syncs.Remove(board);
            Registry.SetInventory(board, sync.Hello.InventoryGeneration, sync.Entries);
            _streams.OnInventoryChanged(now);
            return;
        }
        var volume = sync.Hello.Volumes[sync.VolumeIndex];
        Send(board, new AtcpInventoryRequestRepr { Volume = volume.Id, FirstIndex = sync.NextIndex });
        sync.RetryAt = now + InventoryRetryMs;
    }

    void OnInventory(ushort board, long now)
    {
        if (!_syncs.TryGetValue(board, out var sync)) { Count("unexpected INVENTORY"); return; }
        var volume = sync.Hello.Volumes[sync.VolumeIndex];
        var page = _inventory;
        if (page.Volume != volume.Id || page.FirstIndex != sync.NextIndex) { Count("stale INVENTORY"); return; }
        if (sync.Generation is uint g && g != page.Generation)
        {
            // The list changed underneath: start this volume again (SPEC 6.4).
            sync.Entries.RemoveAll(e => e.Volume == volume.Id);
            sync.NextIndex = 0;
            sync.Generation = null;
            RequestPage(board, sync, now);
            return;
        }
        sync.Generation = page.Generation;
        for (int i = 0; i < page.EntryCount; i++)
        {
            if (page.Kind(i) != AtcpObjectKind.File) continue;
            string name = page.NameText(i);
            string key = volume.IsCd ? "cd:" + volume.Label + "/" + name : "disk:" + name;
            string type = page.ContentTypeText(i);
            string etag = page.EtagText(i);
            sync.Entries.Add(new ObjectEntry(key, volume.Id, name, (long)page.Size(i), type, etag, volume.IsCd));
        }
        sync.NextIndex += (uint)page.EntryCount;
        if ((page.Flags & AtcpInventoryFlags.LastPage) != 0 || page.EntryCount == 0)
        {
            sync.VolumeIndex++;
            sync.NextIndex = 0;
            sync.Generation = null;
        }
        RequestPage(board, sync, now);
    }

    /// <summary>Timers: heartbeat health, inventory retries, periodic HELLO_REQUEST.</summary>
    public void Poll(long now)
    {
        foreach (var down in Registry.Tick(now)) _streams.OnBoardLost(down.Id, "missed heartbeats", now);
        if (_syncs.Count > 0) // a copy (a page request may end a sync), only while inventories load
            foreach (var (board, sync) in _syncs.ToList())
                if (now >= sync.RetryAt) RequestPage(board, sync, now);
        if (now >= _nextHelloRequest) RequestHellos(now);
    }

    /// <summary>Earliest timer.</summary>
    public long NextDeadline
    {
        get
        {
            long next = Math.Min(_nextHelloRequest, Registry.NextCheckMs);
            if (_syncs.Count == 0) return next; // asked every loop round; inventories load rarely
            foreach (var s in _syncs.Values) next = Math.Min(next, s.RetryAt);
            return next;
        }
    }
}
