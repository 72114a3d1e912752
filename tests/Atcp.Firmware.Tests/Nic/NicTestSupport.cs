using Atcp.Emulation.W5500;
using Atcp.Firmware.Hal;
using Atcp.Firmware.Nic;

namespace Atcp.Firmware.Tests.Nic;

/// <summary>A clock that only moves when someone sleeps or the test advances it.</summary>
public sealed class VirtualClock : IClock
{
    public long NowMilliseconds { get; private set; }
    public void Sleep(int milliseconds) => NowMilliseconds += Math.Max(milliseconds, 0);
    public void Advance(int milliseconds) => NowMilliseconds += milliseconds;
}

/// <summary>One SPI transaction as it crossed the bus.</summary>
public sealed record SpiTransaction(byte[] Mosi, byte[]? Miso)
{
    public override string ToString() => Convert.ToHexString(Mosi);
}

/// <summary>Passes transactions to an inner transport and keeps a copy of both directions.</summary>
public sealed class RecordingSpi(ISpiTransport inner) : ISpiTransport
{
    public List<SpiTransaction> Log { get; } = [];

    public void TransferFullDuplex(byte[] write, int writeOffset, byte[] read, int readOffset, int length)
    {
        var mosi = write.AsSpan(writeOffset, length).ToArray();
        inner.TransferFullDuplex(write, writeOffset, read, readOffset, length);
        Log.Add(new SpiTransaction(mosi, read.AsSpan(readOffset, length).ToArray()));
    }

    public void Write(byte[] buffer, int offset, int length)
    {
        Log.Add(new SpiTransaction(buffer.AsSpan(offset, length).ToArray(), null));
        inner.Write(buffer, offset, length);
    }
}

/// <summary>A pin that remembers when it was driven to which level, and forwards.</summary>
public sealed class RecordingPin(IClock clock, IOutputPin? inner = null) : IOutputPin
{
    public List<(long AtMs, bool High)> Edges { get; } = [];

    public void Write(bool high)
    {
        Edges.Add((clock.NowMilliseconds, high));
        inner?.Write(high);
    }
}

/// <summary>A SPI device that answers every byte with the same value (no chip, or MISO stuck).</summary>
public sealed class StuckSpi(byte value) : ISpiTransport
{
    public void TransferFullDuplex(byte[] write, int writeOffset, byte[] read, int readOffset, int length)
        => read.AsSpan(readOffset, length).Fill(value);

    public void Write(byte[] buffer, int offset, int length) { }
}

/// <summary>SPI frames written the way the datasheet draws them (2.2): address MSB, address LSB,
/// control byte BSB[4:0]|RWB|OM, data. Control bytes are spelled out as numbers in the tests.</summary>
public static class SpiFrame
{
    public static byte[] Of(ushort address, byte control, params byte[] data)
        => [(byte)(address >> 8), (byte)address, control, .. data];

    public static byte[] Zeros(ushort address, byte control, int count)
        => Of(address, control, new byte[count]);
}

/// <summary>Ethernet frames for tests: a 4-byte sequence number and a pattern derived from it
/// follow the header, so any misplaced byte is caught.</summary>
public static class TestFrames
{
    public static readonly byte[] BoardMac = [0x02, 0x00, 0x5E, 0x10, 0x00, 0x01];
    public static readonly byte[] PeerMac = [0x02, 0x00, 0x5E, 0x10, 0x00, 0xFE];
    public static readonly byte[] Broadcast = [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF];
    public static readonly byte[] Multicast = [0x01, 0x00, 0x5E, 0x00, 0x00, 0xFB];

    public static byte[] Make(int length, int sequence, byte[]? destination = null, byte[]? source = null, ushort etherType = 0x88B5)
    {
        var frame = new byte[length];
        Fill(frame, 0, length, sequence, destination ?? BoardMac, source ?? PeerMac, etherType);
        return frame;
    }

    public static void Fill(byte[] buffer, int offset, int length, int sequence, byte[] destination, byte[] source, ushort etherType = 0x88B5)
    {
        destination.CopyTo(buffer, offset);
        source.CopyTo(buffer, offset + 6);
        buffer[offset + 12] = (byte)(etherType >> 8);
        buffer[offset + 13] = (byte)etherType;
        for (int i = 14; i < length; i++)
        {
            int k = i - 14;
            buffer[offset + i] = k < 4 ? (byte)(sequence >> (24 - 8 * k)) : (byte)(sequence * 31 + k * 7);
        }
    }
}

/// <summary>Driver, chip model and virtual clock wired together.</summary>
public sealed class Bench
{
    public VirtualClock Clock { get; } = new();
    public W5500Model Chip { get; } = new();
    public RecordingSpi? Recorder { get; }
    public W5500 Nic { get; }
    public List<byte[]> Wire { get; } = [];

    /// <summary>The INTn line given to the driver (null unless useInterruptPin).</summary>
    public ChipInterruptPin? Interrupt { get; }

    public Bench(bool record = false, bool useResetPin = false, ushort pointerAfterOpen = 0, bool captureWire = true, bool useInterruptPin = false)
    {
        Chip.PointerAfterOpen = pointerAfterOpen;
        ISpiTransport spi = Chip;
        if (record) spi = Recorder = new RecordingSpi(Chip);
        if (useInterruptPin) Interrupt = new ChipInterruptPin(Chip);
        Nic = new W5500(spi, Clock, useResetPin ? Chip.ResetPin : null, Interrupt, TestFrames.BoardMac);
        if (captureWire) Chip.FrameSent += frame => Wire.Add(frame.ToArray());
    }

    public Bench Up()
    {
        Assert.Equal(W5500Status.Ok, Nic.Initialize());
        return this;
    }

    /// <summary>Receive into a fresh buffer with headroom; returns the frame or null.</summary>
    public byte[]? ReceiveOne(int capacity = 1600)
    {
        var buffer = new byte[3 + capacity];
        int n = Nic.Receive(buffer, 3, capacity);
        return n == 0 ? null : buffer.AsSpan(3, n).ToArray();
    }

    /// <summary>Transmit a copy of frame from a buffer with headroom.</summary>
    public bool TransmitOne(byte[] frame)
    {
        var buffer = new byte[3 + frame.Length];
        frame.CopyTo(buffer, 3);
        return Nic.Transmit(buffer, 3, frame.Length);
    }
}

/// <summary>The chip's INTn output as a GPIO input (low while asserted), optionally cut (the pull-up
/// then keeps it high, as on a board where the line is not wired); counts reads.</summary>
public sealed class ChipInterruptPin(W5500Model chip) : IInputPin
{
    public bool Disconnected { get; set; }
    public int Reads { get; private set; }

    public bool Read()
    {
        Reads++;
        return Disconnected || !chip.InterruptAsserted;
    }
}
