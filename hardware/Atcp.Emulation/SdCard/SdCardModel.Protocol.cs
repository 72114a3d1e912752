namespace Atcp.Emulation.SdCard;

// The byte engine. Each clocked byte first yields the card's output (decided by the state before
// that byte: queued response/data bytes, then busy, then the next block of a multiple block read),
// then feeds the host's byte to the input side (command frames, write tokens and data).
public sealed partial class SdCardModel
{
    enum Mode
    {
        Command,
        MultipleRead,
        WriteToken,
        WriteData,
    }

    // R1 bits (§7.3.2.1), R2 status bits (§7.3.2.3).
    const byte R1Idle = 0x01, R1Illegal = 0x04, R1CrcError = 0x08, R1AddressError = 0x20, R1ParameterError = 0x40;
    const byte StatusWpViolation = 0x20, StatusOutOfRange = 0x80;

    bool _csHigh = true;
    bool _spiMode;
    long _powerUpClockBytes;
    bool _idle;
    bool _crcOn;
    bool _appCommand;
    int _opCondPolls;
    bool _hostCapacitySupport;
    bool _ifCondSeen;
    byte _status;
    Mode _mode;
    bool _multipleWrite;
    long _writeBlock;
    long _readBlock;
    bool _readHalted;
    bool _readStarted; // the multiple block read has sent its first block (later ones use the block gap)

    readonly byte[] _cmd = new byte[6];
    int _cmdLength;
    readonly byte[] _in = new byte[BlockLength + 2];
    int _inLength;
    readonly byte[] _out = new byte[MaxAccessDelay + 1024];
    int _outPos;
    int _outLength;
    bool _outEndsBlock;
    long _outBlock;
    int _busy;
    // The NAC bytes before a token are at [_outPos, _waitEnd): with a clock attached, time the host
    // spends without clocking (sleeping) shortens them and busy, as it would on a real card.
    int _waitEnd;
    long _clockSeen;
    long _byteRemainder;
    int _corruptReads;
    int _rejectWrites;
    long _commitOrdinal;

    void ResetToSdMode()
    {
        _spiMode = false;
        _powerUpClockBytes = 0;
        _crcOn = false;
        ResetToIdle();
    }

    void SetBusy(int bytes) => _busy = bytes;

    // Time that passed on the clock without SPI bytes counts as that many bytes of card time.
    void CatchUp()
    {
        long gap = Clock!.NowNanoseconds - _clockSeen;
        _clockSeen = Clock.NowNanoseconds;
        if (gap <= 0) return;
        double bytes = gap * (ClockHz / 8e9);
        if (_busy > 0) _busy = bytes >= _busy ? 0 : _busy - (int)bytes;
        if (_outPos < _waitEnd) _outPos = bytes >= _waitEnd - _outPos ? _waitEnd : _outPos + (int)bytes;
    }

    // Advances the clock by one byte time at ClockHz (8 clocks), keeping the fraction.
    void TickByte()
    {
        if (Clock == null) return;
        _byteRemainder += 8_000_000_000L;
        long nanoseconds = _byteRemainder / ClockHz;
        _byteRemainder -= nanoseconds * ClockHz;
        Clock.AdvanceNanoseconds(nanoseconds);
        _clockSeen = Clock.NowNanoseconds;
    }

    void ResetToIdle()
    {
        _idle = true;
        _appCommand = false;
        _opCondPolls = 0;
        _ifCondSeen = false;
        _mode = Mode.Command;
        _cmdLength = 0;
        _outPos = _outLength = 0;
        _outEndsBlock = false;
        _busy = 0;
        _waitEnd = 0;
    }

    byte Exchange(byte mosi)
    {
        if (!IsPowered || !IsInserted) return 0xFF;
        if (Clock != null && Clock.NowNanoseconds != _clockSeen) CatchUp();
        if (_csHigh)
        {
            // Deselected: the card does not drive MISO, but time passes and busy runs down.
            if (!_spiMode) _powerUpClockBytes++;
            if (_busy > 0) _busy--;
            return 0xFF;
        }
        byte miso = NextOut();
        Consume(mosi);
        return miso;
    }

    byte NextOut()
    {
        if (_outPos < _outLength)
        {
            byte b = _out[_outPos++];
            if (_outPos == _outLength && _outEndsBlock)
            {
                _outEndsBlock = false;
                BlocksRead++;
                BlockSent?.Invoke(_outBlock);
            }
            return b;
        }
        if (_busy > 0)
        {
            _busy--;
            return 0x00;
        }
        if (_mode == Mode.MultipleRead && !_readHalted)
        {
            _outPos = _outLength = 0;
            AppendReadBlock(_readBlock++, _readStarted);
            _readStarted = true;
            return NextOut();
        }
        return 0xFF;
    }

    void Consume(byte mosi)
    {
        if (_mode == Mode.WriteData)
        {
            _in[_inLength++] = mosi;
            if (_inLength == _in.Length) FinishWriteBlock();
            return;
        }
        if (_mode == Mode.WriteToken && _cmdLength == 0 && mosi != 0xFF && (mosi & 0xC0) != 0x40)
        {
            if (_busy > 0 || _outPos < _outLength)
            {
                BusyViolations++;
                return;
            }
            // Start Block tokens and Stop Tran (§7.3.3.2); other bytes are ignored.
            if (mosi == (_multipleWrite ? 0xFC : 0xFE))
            {
                _mode = Mode.WriteData;
                _inLength = 0;
            }
            else if (mosi == 0xFD && _multipleWrite)
            {
                // Busy may start NBR bytes after Stop Tran (§7.5.3); this card takes one.
                StartResponse(0);
                Put(0xFF);
                SetBusy(StopBusyBytes);
                _mode = Mode.Command;
            }
            return;
        }
        // Command frames start with '01' (§7.3.1.1).
        if (_cmdLength == 0 && (mosi & 0xC0) != 0x40) return;
        _cmd[_cmdLength++] = mosi;
        if (_cmdLength == _cmd.Length)
        {
            _cmdLength = 0;
            ExecuteCommand();
        }
    }

    // Clears the output queue and queues `gap` bytes of 0xFF (NCR) before the response.
    void StartResponse(int gap)
    {
        _outPos = _outLength = 0;
        _outEndsBlock = false;
        _waitEnd = 0;
        for (int i = 0; i < gap; i++) Put(0xFF);
    }

    void Put(byte b) => _out[_outLength++] = b;

    byte R1(byte errors = 0) => (byte)((_idle ? R1Idle : 0) | errors);

    void RespondR1(byte errors = 0)
    {
        StartResponse(_ncr);
        Put(R1(errors));
    }

    // NAC bytes (or, between blocks of a multiple block read, the block gap), then the Start Block
    // token, 512 data bytes and CRC16 (§7.3.3.2) appended to the output queue; a block past the end
    // becomes a data error token 'out of range' (§7.3.3.3).
    void AppendReadBlock(long block, bool followsBlock = false)
    {
        int gap = _nac;
        if (followsBlock)
        {
            gap = ReadBlockGapBytes ?? _nac;
            if (ReadGapForBlock != null) gap = ReadGapForBlock(block);
            if (gap < 0 || gap > MaxAccessDelay) throw new InvalidOperationException("a block gap must be 0 to " + MaxAccessDelay + " bytes");
        }
        for (int i = 0; i < gap; i++) Put(0xFF);
        _waitEnd = _outLength;
        if (block >= CapacityBlocks)
        {
            Put(0x08);
            _status |= StatusOutOfRange;
            _readHalted = true;
            return;
        }
        Put(0xFE);
        var data = _out.AsSpan(_outLength, BlockLength);
        _image.Read(block * BlockLength, data);
        int crc = SdCardRegisters.Crc16(data);
        if (_corruptReads > 0)
        {
            _corruptReads--;
            data[(int)(block * 37 % BlockLength)] ^= 0x10;
        }
        _outLength += BlockLength;
        Put((byte)(crc >> 8));
        Put((byte)crc);
        _outEndsBlock = true;
        _outBlock = block;
    }

    void FinishWriteBlock()
    {
        int received = (_in[BlockLength] << 8) | _in[BlockLength + 1];
        // Data response 'xxx0sss1' (§7.3.3.1); the x bits are undefined, this card sets them.
        byte response;
        if (_crcOn && SdCardRegisters.Crc16(_in.AsSpan(0, BlockLength)) != received) response = 0xEB;
        else if (_rejectWrites > 0)
        {
            _rejectWrites--;
            response = 0xEB;
        }
        else if (WriteProtected)
        {
            response = 0xED;
            _status |= StatusWpViolation;
        }
        else if (_writeBlock >= CapacityBlocks)
        {
            response = 0xED;
            _status |= StatusOutOfRange;
        }
        else
        {
            if (BeforeCommit != null && BeforeCommit(new SdBlockCommit(_writeBlock, _commitOrdinal)))
            {
                CutPower();
                return;
            }
            _image.Write(_writeBlock * BlockLength, _in.AsSpan(0, BlockLength));
            _commitOrdinal++;
            BlocksWritten++;
            response = 0xE5;
        }
        StartResponse(0);
        Put(response);
        if ((response & 0x1F) == 0x05)
        {
            SetBusy(WriteBusyBytes);
            if (_multipleWrite) _writeBlock++;
        }
        // After an error in a multiple block write the host sends CMD12 (§7.3.3.1).
        _mode = _multipleWrite ? Mode.WriteToken : Mode.Command;
    }
}
