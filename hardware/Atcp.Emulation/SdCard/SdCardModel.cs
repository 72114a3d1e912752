using Atcp.Firmware.Disk.Sd;
using Atcp.Firmware.Hal;

namespace Atcp.Emulation.SdCard;

/// <summary>An SD card in SPI mode, emulated byte by byte (SD Physical Layer Simplified
/// Specification v4.10, chapter 7): the SPI transport a driver talks to, plus the card's chip-select
/// input and the slot's card-detect switch. Backed by an <see cref="SdImage"/>. Timing is counted in
/// bytes (8 clocks): NCR before responses, NAC before data tokens, busy after writes. Faults: card
/// removal, power cut (also from a hook fired before each block commit), corrupted read data,
/// write CRC rejections. Single-threaded, like the bus it models.</summary>
public sealed partial class SdCardModel : ISpiTransport, ISpiClockControl, IDisposable
{
    const int BlockLength = 512;
    readonly SdImage _image;
    readonly int _readBlLen;
    readonly int _cSizeMult;
    readonly long _cSize;

    /// <summary>A card over the caller's byte array (its length a multiple of 512).</summary>
    public SdCardModel(byte[] image, SdCardKind kind = SdCardKind.HighCapacity) : this(SdImage.FromBytes(image), kind) { }

    /// <summary>A card over any image. The capacity the CSD reports is the largest the CSD format
    /// can express that fits the image (SDSC: (C_SIZE+1) * 2^(C_SIZE_MULT+2) blocks of 2^READ_BL_LEN;
    /// high capacity: whole 512 KiB units); bytes beyond it are unreachable.</summary>
    public SdCardModel(SdImage image, SdCardKind kind)
    {
        _image = image;
        Kind = kind;
        long blocks = image.Length / BlockLength;
        if (kind == SdCardKind.HighCapacity)
        {
            _cSize = blocks / 1024 - 1;
            if (_cSize < 0) throw new ArgumentException("a high capacity image needs at least 512 KiB", nameof(image));
            if (_cSize > 0x3FFFFF) throw new ArgumentException("image beyond the CSD 2.0 range", nameof(image));
            CapacityBlocks = (_cSize + 1) * 1024;
        }
        else
        {
            CapacityBlocks = -1;
            for (int readBlLen = 9; readBlLen <= 11 && CapacityBlocks < 0; readBlLen++)
            {
                for (int mult = 0; mult <= 7; mult++)
                {
                    long unitBlocks = (1L << (mult + 2 + readBlLen)) / BlockLength;
                    long units = blocks / unitBlocks;
                    if (units > 4096) continue;
                    if (units < 1) throw new ArgumentException("image too small for an SDSC CSD", nameof(image));
                    _readBlLen = readBlLen;
                    _cSizeMult = mult;
                    _cSize = units - 1;
                    CapacityBlocks = units * unitBlocks;
                    break;
                }
            }
            if (CapacityBlocks < 0) throw new ArgumentException("image too large for a standard capacity card", nameof(image));
        }
        ChipSelect = new ChipSelectPin(this);
        CardDetect = new CardDetectPin(this);
        ResetToSdMode();
    }

    /// <summary>A card over an image file; see <see cref="SdImage.OpenFile"/>.</summary>
    public static SdCardModel OpenFile(string path, SdCardKind kind, bool writeThrough) => new(SdImage.OpenFile(path, writeThrough), kind);

    /// <summary>Which card this is.</summary>
    public SdCardKind Kind { get; }

    /// <summary>The capacity in 512-byte blocks the CSD reports.</summary>
    public long CapacityBlocks { get; }

    /// <summary>The backing image.</summary>
    public SdImage Image => _image;

    /// <summary>The card's CS input (active low); give it to the driver as its chip-select pin.</summary>
    public IOutputPin ChipSelect { get; }

    /// <summary>The slot's card-detect switch: low while a card is inserted (see CardDetectActiveLow).</summary>
    public IInputPin CardDetect { get; }

    /// <summary>True (default): the card-detect pin reads low when a card is present.</summary>
    public bool CardDetectActiveLow { get; set; } = true;

    // --- timing, in bytes of 8 clocks ---

    /// <summary>NCR: 0xFF bytes between the end of a command and its response, 1 to 8 (§7.5.4).</summary>
    public int ResponseDelayBytes
    {
        get => _ncr;
        set => _ncr = value is >= 1 and <= 8 ? value : throw new ArgumentOutOfRangeException(nameof(value), "NCR is 1 to 8 bytes");
    }
    int _ncr = 1;

    /// <summary>NAC: 0xFF bytes before each data token of a read, at least 1.</summary>
    public int ReadAccessDelayBytes
    {
        get => _nac;
        set => _nac = value is >= 1 and <= MaxAccessDelay ? value : throw new ArgumentOutOfRangeException(nameof(value));
    }
    int _nac = 1;
    const int MaxAccessDelay = 8192;

    /// <summary>Idle bytes (0xFF) before the token of each block after the first in a multiple block
    /// read: the card fetching the next block while the host clocks. The specification bounds it only
    /// by the read access time (NAC, §4.6.2.1, §7.5.4 Figure 7-12 shows NAC between blocks too); real
    /// cards at 25 MHz show a few bytes to tens of bytes. Null (default): the same as
    /// <see cref="ReadAccessDelayBytes"/>. 0 is allowed (the next token right after the CRC).</summary>
    public int? ReadBlockGapBytes { get; set; }

    /// <summary>Optional per-block gap (block number → idle bytes before its token) for blocks after
    /// the first of a multiple block read; overrides <see cref="ReadBlockGapBytes"/>. For tests of
    /// drivers that must cope with gaps that change from block to block.</summary>
    public Func<long, int>? ReadGapForBlock { get; set; }

    /// <summary>Busy bytes (MISO low) after each accepted write block.</summary>
    public int WriteBusyBytes { get; set; } = 8;

    /// <summary>Busy bytes after CMD12 and after the Stop Tran token.</summary>
    public int StopBusyBytes { get; set; } = 2;

    /// <summary>ACMD41 polls until the card leaves the idle state (the first poll is 1).</summary>
    public int InitPollsUntilReady { get; set; } = 3;

    /// <summary>Write protection (CSD TMP_WRITE_PROTECT): write blocks get a write error response
    /// and the WP_VIOLATION status bit.</summary>
    public bool WriteProtected { get; set; }

    /// <summary>CMD0 is ignored unless 74 clocks with CS high preceded it after power-up (§6.4.1.1).</summary>
    public bool RequirePowerUpClocks { get; set; } = true;

    /// <summary>Optional virtual clock the model advances by the duration of each SPI byte at
    /// <see cref="ClockHz"/>. With it, NAC and busy also end once their duration has passed on the
    /// clock (a host that sleeps while polling sees the card progress, as a real one would).</summary>
    public SimulatedClock? Clock
    {
        get => _clock;
        set
        {
            _clock = value;
            _clockSeen = value?.NowNanoseconds ?? 0;
        }
    }
    SimulatedClock? _clock;

    /// <summary>The SPI clock last set through <see cref="ISpiClockControl"/> (400 kHz at first).</summary>
    public int ClockHz { get; private set; } = 400_000;

    /// <summary>Every clock frequency set, in order.</summary>
    public List<int> ClockHistory { get; } = new();

    // --- CID fields ---

    /// <summary>CID manufacturer ID.</summary>
    public int ManufacturerId { get; set; } = 0x42;
    /// <summary>CID OEM ID, 2 characters.</summary>
    public string OemId { get; set; } = "AT";
    /// <summary>CID product name, 5 characters.</summary>
    public string ProductName { get; set; } = "EMUSD";
    /// <summary>CID product revision (BCD).</summary>
    public int ProductRevision { get; set; } = 0x10;
    /// <summary>CID serial number.</summary>
    public uint SerialNumber { get; set; } = 0x1234ABCD;
    /// <summary>CID manufacturing year (2000-2255).</summary>
    public int ManufactureYear { get; set; } = 2025;
    /// <summary>CID manufacturing month.</summary>
    public int ManufactureMonth { get; set; } = 6;

    /// <summary>The CSD as CMD9 returns it now.</summary>
    public byte[] Csd => Kind == SdCardKind.HighCapacity
        ? SdCardRegisters.CsdVersion2(_cSize, WriteProtected)
        : SdCardRegisters.CsdVersion1(_readBlLen, (int)_cSize, _cSizeMult, WriteProtected);

    /// <summary>The CID as CMD10 returns it.</summary>
    public byte[] Cid => SdCardRegisters.Cid(ManufacturerId, OemId, ProductName, ProductRevision, SerialNumber, ManufactureYear, ManufactureMonth);

    // --- counters ---

    /// <summary>Calls to TransferFullDuplex and Write.</summary>
    public long SpiTransactions { get; private set; }
    /// <summary>Bytes clocked.</summary>
    public long SpiBytes { get; private set; }
    /// <summary>CS falling edges.</summary>
    public long ChipSelectAssertions { get; private set; }
    /// <summary>Command frames received (with CS low, powered, inserted).</summary>
    public long CommandsReceived { get; private set; }
    /// <summary>Data blocks whose last CRC byte left the card.</summary>
    public long BlocksRead { get; private set; }
    /// <summary>Blocks committed to the image.</summary>
    public long BlocksWritten { get; private set; }
    /// <summary>Commands or tokens the host sent while the card signalled busy (ignored, as a
    /// card would): a driver bug.</summary>
    public long BusyViolations { get; private set; }

    // --- faults ---

    /// <summary>True while a card is in the slot.</summary>
    public bool IsInserted { get; private set; } = true;

    /// <summary>True while the card has power.</summary>
    public bool IsPowered { get; private set; } = true;

    /// <summary>Pulls the card: MISO floats high (0xFF), card detect reports no card.</summary>
    public void Remove()
    {
        IsInserted = false;
        ResetToSdMode();
    }

    /// <summary>Inserts the card (a hot insertion is a power-up: it needs 74 clocks and CMD0).</summary>
    public void Insert()
    {
        IsInserted = true;
        ResetToSdMode();
    }

    /// <summary>Removes power: the card answers nothing until PowerOn. Committed blocks stay.</summary>
    public void CutPower()
    {
        IsPowered = false;
        ResetToSdMode();
    }

    /// <summary>Restores power; the card starts over in SD mode, uninitialised.</summary>
    public void PowerOn()
    {
        IsPowered = true;
        ResetToSdMode();
    }

    /// <summary>Flips one bit in the data of the next count data blocks sent, CSD and CID included
    /// (the CRC is computed on the correct data), as a line error would.</summary>
    public void CorruptNextReadBlocks(int count) => _corruptReads = count;

    /// <summary>Answers the next count write blocks with a CRC error data response ('101').</summary>
    public void RejectNextWriteBlocks(int count) => _rejectWrites = count;

    /// <summary>Called before each block is committed to the image; returning true cuts power
    /// instead: that block and all later ones are lost, the card is unpowered until PowerOn.</summary>
    public Func<SdBlockCommit, bool>? BeforeCommit { get; set; }

    /// <summary>Called when the last byte of a data block has been clocked out (block number).</summary>
    public Action<long>? BlockSent { get; set; }

    /// <summary>True once ACMD41 has taken the card out of the idle state.</summary>
    public bool IsInitialized => _spiMode && !_idle;

    /// <summary>True after CMD59 turned CRC checking on.</summary>
    public bool CrcChecking => _crcOn;

    /// <summary>Copies count blocks of the image from block (test inspection).</summary>
    public byte[] ReadImageBlocks(long block, int count)
    {
        var data = new byte[count * BlockLength];
        _image.Read(block * BlockLength, data);
        return data;
    }

    /// <summary>Persists the image (file-backed images without write-through).</summary>
    public void Flush() => _image.Flush();

    /// <summary>Flushes and closes the image.</summary>
    public void Dispose() => _image.Dispose();

    /// <inheritdoc/>
    public void SetClockFrequency(int hertz)
    {
        if (hertz <= 0) throw new ArgumentOutOfRangeException(nameof(hertz));
        ClockHz = hertz;
        ClockHistory.Add(hertz);
    }

    /// <inheritdoc/>
    public void TransferFullDuplex(byte[] write, int writeOffset, byte[] read, int readOffset, int length)
    {
        SpiTransactions++;
        SpiBytes += length;
        for (int i = 0; i < length; i++)
        {
            read[readOffset + i] = Exchange(write[writeOffset + i]);
            TickByte();
        }
    }

    /// <inheritdoc/>
    public void Write(byte[] buffer, int offset, int length)
    {
        SpiTransactions++;
        SpiBytes += length;
        for (int i = 0; i < length; i++)
        {
            Exchange(buffer[offset + i]);
            TickByte();
        }
    }

    void SetChipSelect(bool high)
    {
        if (!high && _csHigh) ChipSelectAssertions++;
        _csHigh = high;
        // A deselect abandons a half-received command frame.
        if (high) _cmdLength = 0;
    }

    sealed class ChipSelectPin(SdCardModel card) : IOutputPin
    {
        public void Write(bool high) => card.SetChipSelect(high);
    }

    sealed class CardDetectPin(SdCardModel card) : IInputPin
    {
        public bool Read() => card.IsInserted != card.CardDetectActiveLow;
    }
}
