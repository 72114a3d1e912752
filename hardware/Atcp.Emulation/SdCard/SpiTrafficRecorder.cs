using System.Text;
using Atcp.Firmware.Disk.Sd;
using Atcp.Firmware.Hal;

namespace Atcp.Emulation.SdCard;

/// <summary>What happened on the bus: a transaction, a chip-select edge or a clock change.</summary>
public enum SpiEventKind
{
    /// <summary>One transport call: MOSI and MISO bytes.</summary>
    Transfer,
    /// <summary>The chip-select pin was written.</summary>
    ChipSelect,
    /// <summary>The SPI clock was set.</summary>
    Clock,
}

/// <summary>One recorded event. For Transfer, Mosi and Miso hold the bytes; for ChipSelect, High
/// the level; for Clock, Hertz.</summary>
public sealed record SpiEvent(SpiEventKind Kind, byte[] Mosi, byte[] Miso, bool High, int Hertz);

/// <summary>Bytes clocked while chip select stayed at one level, transactions merged.</summary>
public sealed record SpiSegment(bool Selected, byte[] Mosi, byte[] Miso, int Transactions);

/// <summary>A transparent wrapper that records every SPI transaction, chip-select edge and clock
/// change between a driver and a device (the SD card model), so tests can assert the exact bytes
/// on the wire in order. Hand the driver this object as transport and <see cref="ChipSelect"/>.</summary>
public sealed class SpiTrafficRecorder : ISpiTransport, ISpiClockControl
{
    readonly ISpiTransport _inner;
    readonly IOutputPin _innerChipSelect;
    readonly ISpiClockControl? _innerClock;
    bool _chipSelectHigh = true;

    /// <summary>Wraps a transport, its chip-select pin and optionally its clock control.</summary>
    public SpiTrafficRecorder(ISpiTransport inner, IOutputPin innerChipSelect, ISpiClockControl? innerClock = null)
    {
        _inner = inner;
        _innerChipSelect = innerChipSelect;
        _innerClock = innerClock;
        ChipSelect = new RecordingPin(this);
    }

    /// <summary>The chip-select pin to give the driver.</summary>
    public IOutputPin ChipSelect { get; }

    /// <summary>Everything recorded, in order.</summary>
    public List<SpiEvent> Events { get; } = new();

    /// <summary>Set false to pass traffic through without recording (long runs).</summary>
    public bool Recording { get; set; } = true;

    /// <summary>Forgets what was recorded.</summary>
    public void Clear() => Events.Clear();

    /// <inheritdoc/>
    public void TransferFullDuplex(byte[] write, int writeOffset, byte[] read, int readOffset, int length)
    {
        if (!Recording)
        {
            _inner.TransferFullDuplex(write, writeOffset, read, readOffset, length);
            return;
        }
        // Copied first: read and write may be the same array.
        byte[] mosi = write.AsSpan(writeOffset, length).ToArray();
        _inner.TransferFullDuplex(write, writeOffset, read, readOffset, length);
        Events.Add(new SpiEvent(SpiEventKind.Transfer, mosi, read.AsSpan(readOffset, length).ToArray(), _chipSelectHigh, 0));
    }

    /// <inheritdoc/>
    public void Write(byte[] buffer, int offset, int length)
    {
        // The driver ignores MISO here, but the trace shows what the device sent all the same. The
        // device counts a full-duplex transfer and a write alike.
        if (!Recording)
        {
            _inner.Write(buffer, offset, length);
            return;
        }
        byte[] mosi = buffer.AsSpan(offset, length).ToArray();
        byte[] miso = new byte[length];
        _inner.TransferFullDuplex(mosi, 0, miso, 0, length);
        Events.Add(new SpiEvent(SpiEventKind.Transfer, mosi, miso, _chipSelectHigh, 0));
    }

    /// <inheritdoc/>
    public void SetClockFrequency(int hertz)
    {
        _innerClock?.SetClockFrequency(hertz);
        if (Recording) Events.Add(new SpiEvent(SpiEventKind.Clock, [], [], _chipSelectHigh, hertz));
    }

    /// <summary>Transactions merged into runs of equal chip-select level.</summary>
    public List<SpiSegment> Segments()
    {
        var segments = new List<SpiSegment>();
        var mosi = new List<byte>();
        var miso = new List<byte>();
        bool? level = null;
        int transactions = 0;
        void Close()
        {
            if (level is bool high && transactions > 0) segments.Add(new SpiSegment(!high, mosi.ToArray(), miso.ToArray(), transactions));
            mosi.Clear();
            miso.Clear();
            transactions = 0;
        }
        foreach (var e in Events)
        {
            if (e.Kind != SpiEventKind.Transfer) continue;
            if (level != e.High) Close();
            level = e.High;
            mosi.AddRange(e.Mosi);
            miso.AddRange(e.Miso);
            transactions++;
        }
        Close();
        return segments;
    }

    /// <summary>The segments clocked with chip select low.</summary>
    public List<SpiSegment> Selections() => Segments().Where(s => s.Selected).ToList();

    /// <summary>A readable listing: one line per event, bytes in hex.</summary>
    public string Trace()
    {
        var sb = new StringBuilder();
        foreach (var e in Events)
        {
            switch (e.Kind)
            {
                case SpiEventKind.ChipSelect: sb.AppendLine(e.High ? "CS high" : "CS low"); break;
                case SpiEventKind.Clock: sb.AppendLine("clock " + e.Hertz + " Hz"); break;
                default:
                    sb.AppendLine("MOSI " + Convert.ToHexString(e.Mosi));
                    sb.AppendLine("MISO " + Convert.ToHexString(e.Miso));
                    break;
            }
        }
        return sb.ToString();
    }

    void SetChipSelect(bool high)
    {
        _innerChipSelect.Write(high);
        _chipSelectHigh = high;
        if (Recording) Events.Add(new SpiEvent(SpiEventKind.ChipSelect, [], [], high, 0));
    }

    sealed class RecordingPin(SpiTrafficRecorder recorder) : IOutputPin
    {
        public void Write(bool high) => recorder.SetChipSelect(high);
    }
}
