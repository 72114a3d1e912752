using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace Atcp.Bench;

/// <summary>Names what is allocated: the runtime's GCAllocationTick events (one per ~100 KB
/// allocated, with the type of the object that crossed the mark), counted by type while enabled.
/// A sample, not a census: types allocated often and large show up.</summary>
public sealed class AllocationSampler : EventListener
{
    const EventKeywords GcKeyword = (EventKeywords)0x1;
    readonly ConcurrentDictionary<string, int> _types = new();
    volatile bool _recording;

    /// <summary>Starts or stops counting.</summary>
    public bool Recording { get => _recording; set => _recording = value; }

    /// <summary>Samples by type name, most frequent first.</summary>
    public IReadOnlyList<KeyValuePair<string, int>> Samples => _types.OrderByDescending(kv => kv.Value).ToList();

    /// <summary>Forgets the samples.</summary>
    public void Clear() => _types.Clear();

    /// <inheritdoc/>
    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime") EnableEvents(source, EventLevel.Verbose, GcKeyword);
    }

    /// <inheritdoc/>
    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (!_recording || e.EventName == null || !e.EventName.StartsWith("GCAllocationTick", StringComparison.Ordinal) || e.Payload == null) return;
        int index = e.PayloadNames?.IndexOf("TypeName") ?? -1;
        string type = index >= 0 ? e.Payload[index]?.ToString() ?? "?" : "?";
        _types.AddOrUpdate(type, 1, (_, n) => n + 1);
    }
}
