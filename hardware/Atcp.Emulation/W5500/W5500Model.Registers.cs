using Atcp.Firmware.Nic;

namespace Atcp.Emulation.W5500;

// Register blocks (datasheet 3.1, 3.2, 4.1, 4.2): storage, reset values, which bytes are read-only,
// and the registers computed on read (SIR, PHYCFGR status bits, Sn_TX_FSR, Sn_RX_RSR).
public sealed partial class W5500Model
{
    readonly byte[] _common = new byte[W5500CommonRegister.End];
    readonly byte[][] _sockets = new byte[W5500Chip.SocketCount][];
    // The RX read pointer the chip works with: Sn_RX_RD as of the last RECV (4.2, Sn_RX_RD step 4).
    readonly ushort[] _rxReadCommitted = new ushort[W5500Chip.SocketCount];

    /// <summary>PHY link state (PHYCFGR.LNK when the PHY is not held in reset by PHYCFGR.RST).</summary>
    public bool LinkUp
    {
        get { lock (_gate) return _linkUp; }
        set { lock (_gate) _linkUp = value; }
    }

    /// <summary>PHYCFGR.SPD: true = 100 Mbps.</summary>
    public bool Link100Mbps
    {
        get { lock (_gate) return _link100; }
        set { lock (_gate) _link100 = value; }
    }

    /// <summary>PHYCFGR.DPX: true = full duplex.</summary>
    public bool LinkFullDuplex
    {
        get { lock (_gate) return _linkFull; }
        set { lock (_gate) _linkFull = value; }
    }

    bool _linkUp = true, _link100 = true, _linkFull = true;

    /// <summary>The value OPEN gives Sn_TX_RD, Sn_TX_WR, Sn_RX_RD and Sn_RX_WR. The datasheet says
    /// only that OPEN initialises them; a test can start near 0xFFFF to cross the 16-bit wrap early.</summary>
    public ushort PointerAfterOpen { get; set; }

    /// <summary>INTn is low (asserted): IR and IMR, or SIR and SIMR, have a bit in common (4.1).</summary>
    public bool InterruptAsserted
    {
        get
        {
            lock (_gate)
            {
                return (_common[W5500CommonRegister.IR] & _common[W5500CommonRegister.IMR]) != 0
                    || (SocketInterrupts() & _common[W5500CommonRegister.SIMR]) != 0;
            }
        }
    }

    bool EffectiveLinkUp => _linkUp && (_common[W5500CommonRegister.PHYCFGR] & W5500PhyConfig.RST) != 0;

    /// <summary>Every register to its reset value and every socket closed (power-on, RSTn, MR.RST).
    /// Buffer memory keeps its contents, as SRAM would.</summary>
    void ResetRegisters()
    {
        Array.Clear(_common);
        Set16(_common, W5500CommonRegister.RTR, 0x07D0);
        _common[W5500CommonRegister.RCR] = 0x08;
        _common[W5500CommonRegister.PTIMER] = 0x28;
        Set16(_common, W5500CommonRegister.PMRU, 0xFFFF);
        _common[W5500CommonRegister.PHYCFGR] = 0b1011_1000; // RST=1, OPMD=0, OPMDC=111
        for (int n = 0; n < _sockets.Length; n++)
        {
            byte[] s = _sockets[n];
            Array.Clear(s);
            for (int k = 0; k < 6; k++) s[W5500SocketRegister.Sn_DHAR + k] = 0xFF;
            s[W5500SocketRegister.Sn_TTL] = 0x80;
            s[W5500SocketRegister.Sn_RXBUF_SIZE] = 2;
            s[W5500SocketRegister.Sn_TXBUF_SIZE] = 2;
            s[W5500SocketRegister.Sn_IMR] = 0xFF;
            Set16(s, W5500SocketRegister.Sn_FRAG, 0x4000);
            _rxReadCommitted[n] = 0;
        }
        _sendLatched = false;
    }

    byte SocketInterrupts()
    {
        int sir = 0;
        for (int n = 0; n < _sockets.Length; n++)
            if (_sockets[n][W5500SocketRegister.Sn_IR] != 0) sir |= 1 << n;
        return (byte)sir;
    }

    byte ReadCommonRegister(ushort a)
    {
        if (a >= W5500CommonRegister.End) return 0;
        switch (a)
        {
            case W5500CommonRegister.SIR: return SocketInterrupts();
            case W5500CommonRegister.PHYCFGR:
                int status = 0;
                if (EffectiveLinkUp)
                {
                    status |= W5500PhyConfig.LNK;
                    if (_link100) status |= W5500PhyConfig.SPD;
                    if (_linkFull) status |= W5500PhyConfig.DPX;
                }
                return (byte)((_common[a] & 0xF8) | status);
            case W5500CommonRegister.VERSIONR: return W5500Chip.Version;
        }
        if (a > W5500CommonRegister.PHYCFGR) return 0; // reserved 0x002F..0x0038
        return _common[a];
    }

    void WriteCommonRegister(ushort a, byte value)
    {
        if (a >= W5500CommonRegister.End) return;
        switch (a)
        {
            case W5500CommonRegister.MR:
                if ((value & W5500Mode.RST) != 0)
                {
                    Counters.SoftwareResets++;
                    ResetRegisters(); // and RST reads back 0: the reset is over before the next frame
                }
                else
                {
                    _common[a] = value;
                }
                return;
            case W5500CommonRegister.IR:
                _common[a] &= (byte)~value; // write 1 to clear
                return;
            case W5500CommonRegister.SIR:
                return;
            case W5500CommonRegister.PHYCFGR:
                _common[a] = (byte)(value & 0xF8); // DPX, SPD, LNK are status, read only
                return;
        }
        if (a >= W5500CommonRegister.UIPR) return; // UIPR, UPORTR, reserved, VERSIONR: read only
        _common[a] = value;
    }

    static bool IsReservedSocketOffset(ushort a) => a == 0x0014 || (a >= 0x0017 && a <= 0x001D);

    byte ReadSocketRegister(int n, ushort a)
    {
        if (a >= W5500SocketRegister.End || IsReservedSocketOffset(a)) return 0;
        byte[] s = _sockets[n];
        switch (a)
        {
            case W5500SocketRegister.Sn_TX_FSR: return (byte)(TxFreeSize(n) >> 8);
            case W5500SocketRegister.Sn_TX_FSR + 1: return (byte)TxFreeSize(n);
            case W5500SocketRegister.Sn_RX_RSR: return (byte)(ReceivedSize(n) >> 8);
            case W5500SocketRegister.Sn_RX_RSR + 1: return (byte)ReceivedSize(n);
        }
        return s[a];
    }

    void WriteSocketRegister(int n, ushort a, byte value)
    {
        if (a >= W5500SocketRegister.End || IsReservedSocketOffset(a)) return;
        byte[] s = _sockets[n];
        switch (a)
        {
            case W5500SocketRegister.Sn_CR:
                Execute(n, value); // accepted at once: Sn_CR keeps reading 0x00
                return;
            case W5500SocketRegister.Sn_IR:
                s[a] &= (byte)~value; // write 1 to clear
                return;
            case W5500SocketRegister.Sn_SR:
            case W5500SocketRegister.Sn_TX_FSR:
            case W5500SocketRegister.Sn_TX_FSR + 1:
            case W5500SocketRegister.Sn_TX_RD:
            case W5500SocketRegister.Sn_TX_RD + 1:
            case W5500SocketRegister.Sn_RX_RSR:
            case W5500SocketRegister.Sn_RX_RSR + 1:
            case W5500SocketRegister.Sn_RX_WR:
            case W5500SocketRegister.Sn_RX_WR + 1:
                return; // read only
        }
        s[a] = value;
    }

    /// <summary>Sn_TX_FSR outside TCP mode: buffer size minus (Sn_TX_WR - Sn_TX_RD) (4.2).</summary>
    int TxFreeSize(int n)
    {
        byte[] s = _sockets[n];
        int size = BufferSize(n, tx: true);
        int used = (ushort)(Get16(s, W5500SocketRegister.Sn_TX_WR) - Get16(s, W5500SocketRegister.Sn_TX_RD));
        return used >= size ? 0 : size - used;
    }

    /// <summary>Sn_RX_RSR: Sn_RX_WR minus the read pointer last committed by RECV (4.2).</summary>
    int ReceivedSize(int n) => (ushort)(Get16(_sockets[n], W5500SocketRegister.Sn_RX_WR) - _rxReadCommitted[n]);

    /// <summary>Socket buffer size in bytes from Sn_TXBUF_SIZE/Sn_RXBUF_SIZE; values other than
    /// 0, 1, 2, 4, 8, 16 give no buffer ("data cannot be normally transmitted/received", 4.2).</summary>
    int BufferSize(int n, bool tx)
    {
        int kb = _sockets[n][tx ? W5500SocketRegister.Sn_TXBUF_SIZE : W5500SocketRegister.Sn_RXBUF_SIZE];
        return kb is 1 or 2 or 4 or 8 or 16 ? kb * 1024 : 0;
    }

    /// <summary>Socket buffers are placed one after another from Socket 0 in the 16 KB memory
    /// (3.3); sizes summing past 16 KB overlap (wrap), the "error" the datasheet warns of.</summary>
    int BufferBase(int n, bool tx)
    {
        int start = 0;
        for (int k = 0; k < n; k++) start += BufferSize(k, tx);
        return start;
    }

    static ushort Get16(byte[] r, int a) => (ushort)((r[a] << 8) | r[a + 1]);

    static void Set16(byte[] r, int a, int value)
    {
        r[a] = (byte)(value >> 8);
        r[a + 1] = (byte)value;
    }
}
