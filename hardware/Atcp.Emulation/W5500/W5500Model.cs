using Atcp.Firmware.Hal;
using Atcp.Firmware.Nic;

namespace Atcp.Emulation.W5500;

/// <summary>A frame as it crosses an emulated cable: destination MAC first, no FCS.</summary>
public delegate void FrameHandler(ReadOnlySpan<byte> frame);

/// <summary>Emulated WIZnet W5500 at the SPI level, byte-exact to the W5500 Datasheet v1.0.9 where
/// the datasheet says something: every ISpiTransport call is one SPI frame with SCSn low for the
/// whole call (address phase, control phase, data phase, 2.2); variable length data mode
/// auto-increments the 16-bit offset; fixed length data mode repeats frames of 1, 2 or 4 data
/// bytes; the common register block, eight socket register blocks and the socket TX/RX buffer
/// blocks (sized by Sn_TXBUF_SIZE/Sn_RXBUF_SIZE, allocated in order from the two 16 KB memories,
/// addressed modulo the size, 3.3) are modelled. Socket 0 works in MACRAW mode; other protocols
/// open and close but move no data.
///
/// Frames come in through <see cref="Deliver"/> (from a wire) and go out through
/// <see cref="FrameSent"/>. SPI calls and Deliver may run on different threads: each takes one lock,
/// so an SPI transaction is atomic with respect to arriving frames (a simplification: the real chip
/// can store a frame in the middle of an SPI frame, which is why the datasheet asks for 16-bit
/// counters to be read twice). FrameSent handlers run under that lock: they must not wait on
/// another thread that uses the model.
///
/// Choices where the datasheet is silent, so tests can rely on them: MISO carries 0x01, 0x02, 0x03
/// during the address and control phases (what real chips are seen to send) and 0x00 during a
/// write's data phase; a command is accepted at once (Sn_CR reads 0x00 right after the write);
/// a SEND completes when the SPI frame that issued it ends (a frame needs microseconds on the wire,
/// the rest of an SPI frame less); OPEN sets all four pointers to <see cref="PointerAfterOpen"/>;
/// frames shorter than 60 bytes are padded with zeros on transmit; received frames longer than
/// <see cref="MaxReceiveFrameLength"/> are dropped; the RX buffer block accepts writes.</summary>
public sealed partial class W5500Model : ISpiTransport
{
    readonly object _gate = new();
    byte[] _mosi = new byte[2048];
    bool _inReset;

    /// <summary>Creates a chip fresh out of power-on reset, link up at 100 Mbps full duplex.</summary>
    public W5500Model()
    {
        for (int i = 0; i < _sockets.Length; i++) _sockets[i] = new byte[W5500SocketRegister.End];
        ResetRegisters();
        ResetPin = new ResetLine(this);
    }

    /// <summary>Counters of SPI traffic and frames.</summary>
    public W5500ModelCounters Counters { get; } = new();

    /// <summary>The RSTn input: drive it low to hold the chip in reset (SPI ignored, frames
    /// dropped), high to release it with every register at its reset value.</summary>
    public IOutputPin ResetPin { get; }

    /// <summary>Raised for every frame the chip puts on the wire, under the model's lock.</summary>
    public event FrameHandler? FrameSent;

    /// <summary>One SPI frame (or FDM frames back to back) with MOSI from write and MISO into read.</summary>
    public void TransferFullDuplex(byte[] write, int writeOffset, byte[] read, int readOffset, int length)
        => Transaction(write, writeOffset, read, readOffset, length);

    /// <summary>One SPI frame with MISO ignored.</summary>
    public void Write(byte[] buffer, int offset, int length)
        => Transaction(buffer, offset, null, 0, length);

    void Transaction(byte[] mosi, int mosiOffset, byte[]? miso, int misoOffset, int length)
    {
        lock (_gate)
        {
            Counters.SpiTransactions++;
            Counters.SpiBytes += length;
            // Decode from a copy: read and write may be the same array.
            if (_mosi.Length < length) _mosi = new byte[Math.Max(length, _mosi.Length * 2)];
            Array.Copy(mosi, mosiOffset, _mosi, 0, length);

            if (_inReset)
            {
                if (miso != null) Array.Clear(miso, misoOffset, length);
                return;
            }

            int i = 0;
            while (i < length)
            {
                if (length - i < W5500Spi.HeaderLength)
                {
                    // SCSn went high inside the address or control phase: nothing happens.
                    Counters.IncompleteSpiFrames++;
                    if (miso != null) Array.Clear(miso, misoOffset + i, length - i);
                    break;
                }
                ushort address = (ushort)((_mosi[i] << 8) | _mosi[i + 1]);
                byte control = _mosi[i + 2];
                if (miso != null)
                {
                    miso[misoOffset + i] = 0x01;
                    miso[misoOffset + i + 1] = 0x02;
                    miso[misoOffset + i + 2] = 0x03;
                }
                i += W5500Spi.HeaderLength;

                int mode = control & W5500Spi.OperationModeMask;
                int dataLength = mode switch
                {
                    W5500Spi.FixedLength1 => 1,
                    W5500Spi.FixedLength2 => 2,
                    W5500Spi.FixedLength4 => 4,
                    _ => length - i,
                };
                dataLength = Math.Min(dataLength, length - i);
                DataPhase(address, control, i, miso, misoOffset + i, dataLength);
                i += dataLength;
                if (mode == W5500Spi.VariableLengthDataMode) break;
            }
            EndOfTransaction();
        }
    }

    void DataPhase(ushort address, byte control, int mosiIndex, byte[]? miso, int misoIndex, int count)
    {
        int block = control >> W5500Spi.BlockShift;
        bool write = (control & W5500Spi.Write) != 0;
        if (write) Counters.SpiDataBytesWritten += count; else Counters.SpiDataBytesRead += count;
        int socket = block >> 2;
        switch (block & 3)
        {
            case 1:
                for (int k = 0; k < count; k++)
                {
                    ushort a = (ushort)(address + k);
                    if (write) WriteSocketRegister(socket, a, _mosi[mosiIndex + k]);
                    else if (miso != null) miso[misoIndex + k] = ReadSocketRegister(socket, a);
                }
                break;
            case 2:
            case 3:
                BufferAccess(socket, (block & 3) == 2, address, write, mosiIndex, miso, misoIndex, count);
                break;
            default:
                if (block == W5500Block.Common)
                {
                    for (int k = 0; k < count; k++)
                    {
                        ushort a = (ushort)(address + k);
                        if (write) WriteCommonRegister(a, _mosi[mosiIndex + k]);
                        else if (miso != null) miso[misoIndex + k] = ReadCommonRegister(a);
                    }
                }
                else if (!write && miso != null)
                {
                    Array.Clear(miso, misoIndex, count); // reserved block select values
                }
                break;
        }
        if (write && miso != null) Array.Clear(miso, misoIndex, count);
    }

    void BufferAccess(int socket, bool tx, ushort address, bool write, int mosiIndex, byte[]? miso, int misoIndex, int count)
    {
        byte[] memory = tx ? _txMemory : _rxMemory;
        int size = BufferSize(socket, tx);
        if (size == 0)
        {
            if (!write && miso != null) Array.Clear(miso, misoIndex, count);
            return;
        }
        if (write) CopyIntoBuffer(memory, BufferBase(socket, tx), size, address, _mosi, mosiIndex, count);
        else if (miso != null) CopyFromBuffer(memory, BufferBase(socket, tx), size, address, miso, misoIndex, count);
    }

    // A socket buffer seen through 16-bit offsets: offset o is physical (start + (o mod size)) mod 16 KB
    // (3.3). Copies go in runs that stop where either modulo wraps.
    static int Run(int start, int size, int offset, int remaining, out int physical)
    {
        int inBuffer = offset & (size - 1);
        physical = (start + inBuffer) & (W5500Chip.MemorySize - 1);
        return Math.Min(remaining, Math.Min(size - inBuffer, W5500Chip.MemorySize - physical));
    }

    static void CopyIntoBuffer(byte[] memory, int start, int size, int offset, byte[] source, int sourceIndex, int count)
    {
        while (count > 0)
        {
            int run = Run(start, size, offset, count, out int physical);
            Array.Copy(source, sourceIndex, memory, physical, run);
            offset += run; sourceIndex += run; count -= run;
        }
    }

    static void CopyFromBuffer(byte[] memory, int start, int size, int offset, byte[] destination, int destinationIndex, int count)
    {
        while (count > 0)
        {
            int run = Run(start, size, offset, count, out int physical);
            Array.Copy(memory, physical, destination, destinationIndex, run);
            offset += run; destinationIndex += run; count -= run;
        }
    }

    static void CopyIntoBuffer(byte[] memory, int start, int size, int offset, ReadOnlySpan<byte> source)
    {
        while (source.Length > 0)
        {
            int run = Run(start, size, offset, source.Length, out int physical);
            source[..run].CopyTo(memory.AsSpan(physical));
            offset += run; source = source[run..];
        }
    }

    sealed class ResetLine(W5500Model chip) : IOutputPin
    {
        public void Write(bool high) => chip.SetResetLine(high);
    }

    void SetResetLine(bool high)
    {
        lock (_gate)
        {
            if (!high)
            {
                _inReset = true;
                return;
            }
            if (_inReset)
            {
                _inReset = false;
                Counters.HardwareResets++;
                ResetRegisters();
            }
        }
    }

    /// <summary>True while RSTn is held low.</summary>
    public bool InReset { get { lock (_gate) return _inReset; } }
}
