using Atcp.Firmware.Nic;
using Atcp.Wire.Ethernet;

namespace Atcp.Emulation.W5500;

// Socket commands and MACRAW data movement (datasheet 4.2: Sn_MR, Sn_CR, Sn_TX_RD, Sn_RX_RD; the
// Sn_MSSR table gives the 1514-byte MACRAW MTU): the RX buffer holds records of a 2-byte big-endian
// length (counting itself) followed by the frame; SEND transmits Sn_TX_RD..Sn_TX_WR as one frame.
public sealed partial class W5500Model
{
    const int MacRawMtu = 1514;
    const int MinimumFrame = 60; // IEEE 802.3 minimum without FCS; the MAC pads shorter frames
    readonly byte[] _txMemory = new byte[W5500Chip.MemorySize];
    readonly byte[] _rxMemory = new byte[W5500Chip.MemorySize];
    readonly byte[] _frame = new byte[W5500Chip.MemorySize];
    readonly byte[] _header = new byte[2];
    bool _sendLatched;
    ushort _sendStart, _sendEnd;
    bool _transmitHeld;

    /// <summary>Largest received frame stored (default 1514, the MACRAW MTU); longer ones are
    /// dropped as the datasheet does not say the chip keeps them.</summary>
    public int MaxReceiveFrameLength { get; set; } = MacRawMtu;

    /// <summary>While true, a SEND stays in progress (no SEND_OK, Sn_TX_RD unchanged), like a MAC
    /// that cannot get the frame out; setting it false completes the SEND at once.</summary>
    public bool TransmitHeld
    {
        get { lock (_gate) return _transmitHeld; }
        set
        {
            lock (_gate)
            {
                _transmitHeld = value;
                if (!value && _sendLatched) CompleteSend();
            }
        }
    }

    void Execute(int n, byte command)
    {
        byte[] s = _sockets[n];
        byte status = s[W5500SocketRegister.Sn_SR];
        switch (command)
        {
            case W5500SocketCommand.OPEN:
                int protocol = s[W5500SocketRegister.Sn_MR] & W5500SocketMode.ProtocolMask;
                s[W5500SocketRegister.Sn_SR] = protocol switch
                {
                    W5500SocketMode.MACRAW when n == 0 => W5500SocketStatus.SOCK_MACRAW,
                    W5500SocketMode.TCP => W5500SocketStatus.SOCK_INIT,
                    W5500SocketMode.UDP => W5500SocketStatus.SOCK_UDP,
                    _ => W5500SocketStatus.SOCK_CLOSED, // MACRAW is valid in Socket 0 only
                };
                Set16(s, W5500SocketRegister.Sn_TX_RD, PointerAfterOpen);
                Set16(s, W5500SocketRegister.Sn_TX_WR, PointerAfterOpen);
                Set16(s, W5500SocketRegister.Sn_RX_RD, PointerAfterOpen);
                Set16(s, W5500SocketRegister.Sn_RX_WR, PointerAfterOpen);
                _rxReadCommitted[n] = PointerAfterOpen;
                if (n == 0) _sendLatched = false;
                return;
            case W5500SocketCommand.CLOSE:
                s[W5500SocketRegister.Sn_SR] = W5500SocketStatus.SOCK_CLOSED;
                if (n == 0) _sendLatched = false;
                return;
            case W5500SocketCommand.RECV:
                if (status != W5500SocketStatus.SOCK_CLOSED)
                    _rxReadCommitted[n] = Get16(s, W5500SocketRegister.Sn_RX_RD);
                return;
            case W5500SocketCommand.SEND:
                if (status != W5500SocketStatus.SOCK_MACRAW)
                {
                    Counters.UnsupportedCommands++;
                    return;
                }
                if (_sendLatched)
                {
                    // The driver must wait for SEND_OK first; what the chip does here is undefined.
                    Counters.OverlappingSends++;
                    return;
                }
                _sendLatched = true;
                _sendStart = Get16(s, W5500SocketRegister.Sn_TX_RD);
                _sendEnd = Get16(s, W5500SocketRegister.Sn_TX_WR);
                return;
            default:
                Counters.UnsupportedCommands++; // LISTEN, CONNECT, DISCON, SEND_MAC, SEND_KEEP, unknown
                return;
        }
    }

    void EndOfTransaction()
    {
        if (_sendLatched && !_transmitHeld) CompleteSend();
    }

    void CompleteSend()
    {
        _sendLatched = false;
        byte[] s = _sockets[0];
        int length = (ushort)(_sendEnd - _sendStart);
        int size = BufferSize(0, tx: true);
        Set16(s, W5500SocketRegister.Sn_TX_RD, _sendEnd);
        SetInterrupt(0, W5500SocketInterrupt.SEND_OK);
        if (length == 0) return;
        if (length > size || length > MacRawMtu)
        {
            Counters.TxDroppedOversize++;
            return;
        }
        CopyFromBuffer(_txMemory, BufferBase(0, tx: true), size, _sendStart, _frame, 0, length);
        int wireLength = Math.Max(length, MinimumFrame);
        if (wireLength > length) Array.Clear(_frame, length, wireLength - length);
        if (!EffectiveLinkUp)
        {
            Counters.TxLostLinkDown++;
            return;
        }
        Counters.FramesTransmitted++;
        Counters.BytesTransmitted += wireLength;
        FrameSent?.Invoke(new ReadOnlySpan<byte>(_frame, 0, wireLength));
    }

    void SetInterrupt(int n, byte bits)
    {
        byte[] s = _sockets[n];
        s[W5500SocketRegister.Sn_IR] |= (byte)(bits & s[W5500SocketRegister.Sn_IMR]);
    }

    /// <summary>A frame arrives from the wire. Stored in Socket 0's RX buffer when the chip is out
    /// of reset, the link is up, Socket 0 is open in MACRAW mode, the Sn_MR filters let it through
    /// (MFEN: our MAC, broadcast, multicast; BCASTB, MMB, MIP6B block) and the buffer has room for
    /// the record; otherwise dropped and counted by reason. Returns whether it was stored.</summary>
    public bool Deliver(ReadOnlySpan<byte> frame)
    {
        lock (_gate)
        {
            if (_inReset) { Counters.RxDroppedInReset++; return false; }
            if (!EffectiveLinkUp) { Counters.RxDroppedLinkDown++; return false; }
            if (frame.Length < EthernetHeader.Length || frame.Length > MaxReceiveFrameLength)
            {
                Counters.RxDroppedBadSize++;
                return false;
            }
            byte[] s = _sockets[0];
            if (s[W5500SocketRegister.Sn_SR] != W5500SocketStatus.SOCK_MACRAW) { Counters.RxDroppedNotOpen++; return false; }
            if (!PassesFilter(s[W5500SocketRegister.Sn_MR], frame)) { Counters.RxDroppedFiltered++; return false; }

            int size = BufferSize(0, tx: false);
            int record = frame.Length + W5500Chip.MacRawHeaderLength;
            if (record > size - ReceivedSize(0)) { Counters.RxDroppedOverflow++; return false; }

            ushort writePointer = Get16(s, W5500SocketRegister.Sn_RX_WR);
            int start = BufferBase(0, tx: false);
            _header[0] = (byte)(record >> 8);
            _header[1] = (byte)record;
            CopyIntoBuffer(_rxMemory, start, size, writePointer, _header, 0, 2);
            CopyIntoBuffer(_rxMemory, start, size, writePointer + 2, frame);
            Set16(s, W5500SocketRegister.Sn_RX_WR, (ushort)(writePointer + record));
            SetInterrupt(0, W5500SocketInterrupt.RECV);
            Counters.FramesReceived++;
            Counters.BytesReceived += frame.Length;
            return true;
        }
    }

    bool PassesFilter(byte mode, ReadOnlySpan<byte> frame)
    {
        ReadOnlySpan<byte> destination = frame[..6];
        bool broadcast = destination.IndexOfAnyExcept((byte)0xFF) < 0;
        bool multicast = !broadcast && (destination[0] & 0x01) != 0;
        if (broadcast && (mode & W5500SocketMode.BCASTB) != 0) return false;
        if (multicast && (mode & W5500SocketMode.MMB) != 0) return false;
        if ((mode & W5500SocketMode.MIP6B) != 0 && frame[12] == 0x86 && frame[13] == 0xDD) return false;
        if ((mode & W5500SocketMode.MFEN) != 0 && !broadcast && !multicast
            && !destination.SequenceEqual(_common.AsSpan(W5500CommonRegister.SHAR, 6)))
            return false;
        return true;
    }

    /// <summary>Overwrites a byte of the 16 KB RX memory (physical address), as a glitch would:
    /// lets tests corrupt the ring.</summary>
    public void PokeRxMemory(int physicalAddress, byte value)
    {
        lock (_gate) _rxMemory[physicalAddress & (W5500Chip.MemorySize - 1)] = value;
    }

    /// <summary>Reads a byte of the 16 KB TX memory (physical address).</summary>
    public byte PeekTxMemory(int physicalAddress)
    {
        lock (_gate) return _txMemory[physicalAddress & (W5500Chip.MemorySize - 1)];
    }
}
