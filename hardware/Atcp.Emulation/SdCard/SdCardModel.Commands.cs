using System.Buffers.Binary;

namespace Atcp.Emulation.SdCard;

// Command execution (SD Physical Layer Simplified Specification v4.10, §7.3.1.3 Tables 7-3/7-4).
public sealed partial class SdCardModel
{
    void ExecuteCommand()
    {
        if (_busy > 0)
        {
            // The host must wait for the end of busy before the next command.
            BusyViolations++;
            return;
        }
        CommandsReceived++;
        int index = _cmd[0] & 0x3F;
        uint argument = BinaryPrimitives.ReadUInt32BigEndian(_cmd.AsSpan(1, 4));
        bool crcValid = (_cmd[5] & 1) == 1 && (_cmd[5] >> 1) == SdCardRegisters.Crc7(_cmd, 0, 5);

        if (!_spiMode)
        {
            // In SD mode only CMD0 with CS low matters: it selects SPI mode (§7.2.1). It must carry a
            // valid CRC (§7.2.2) and come after 74 clocks with CS high (§6.4.1.1).
            if (index != 0 || !crcValid) return;
            if (RequirePowerUpClocks && _powerUpClockBytes * 8 < 74) return;
            _spiMode = true;
            ResetToIdle();
            RespondR1();
            return;
        }

        bool application = _appCommand;
        _appCommand = false;
        // CRC is checked when CMD59 turned it on, and for CMD8 always (§7.2.2).
        if ((_crcOn || index == 8) && !crcValid)
        {
            RespondR1(R1CrcError);
            return;
        }
        if (_mode == Mode.MultipleRead && index == 12)
        {
            StopMultipleRead();
            return;
        }
        // Any other command ends a read or an abandoned write.
        _mode = Mode.Command;
        if (application) ExecuteApplicationCommand(index, argument);
        else ExecuteStandardCommand(index, argument);
    }

    // CMD12 during a multiple block read: one more (stuff) byte of the data stream, then R1 after
    // NCR, then busy (§7.5.2).
    void StopMultipleRead()
    {
        byte stuff = _outPos < _outLength ? _out[_outPos] : (byte)0xFF;
        StartResponse(0);
        Put(stuff);
        for (int i = 1; i < _ncr; i++) Put(0xFF);
        Put(R1());
        SetBusy(StopBusyBytes);
        _mode = Mode.Command;
    }

    void ExecuteStandardCommand(int index, uint argument)
    {
        // In the idle state only these are accepted (§7.2.1, Figure 7-2).
        if (_idle && index is not (0 or 1 or 8 or 55 or 58 or 59))
        {
            RespondR1(R1Illegal);
            return;
        }
        switch (index)
        {
            case 0:
                ResetToIdle();
                RespondR1();
                break;
            case 8:
                if (Kind == SdCardKind.SdscVersion1)
                {
                    RespondR1(R1Illegal);
                    break;
                }
                // R7: voltage accepted and the echoed check pattern (§7.3.2.6).
                _ifCondSeen = true;
                StartResponse(_ncr);
                Put(R1());
                Put(0);
                Put(0);
                Put((byte)(((argument >> 8) & 0xF) == 1 ? 1 : 0));
                Put((byte)argument);
                break;
            case 9:
            case 10:
                StartResponse(_ncr);
                Put(R1());
                // The register follows like a data block, after NCR rather than NAC (§7.5.2).
                for (int i = 0; i < _ncr; i++) Put(0xFF);
                Put(0xFE);
                var register = index == 9 ? Csd : Cid;
                int crc = SdCardRegisters.Crc16(register);
                if (_corruptReads > 0)
                {
                    _corruptReads--;
                    register[3] ^= 0x10;
                }
                foreach (byte b in register) Put(b);
                Put((byte)(crc >> 8));
                Put((byte)crc);
                break;
            case 12:
                // Outside a read: ends an abandoned multiple block write (after an error response).
                RespondR1();
                SetBusy(StopBusyBytes);
                break;
            case 13:
                // R2: R1 and the second status byte, whose error bits clear when read (§7.3.4).
                StartResponse(_ncr);
                Put(R1());
                Put(_status);
                _status = 0;
                break;
            case 16:
                RespondR1(Kind != SdCardKind.HighCapacity && argument != BlockLength ? R1ParameterError : (byte)0);
                break;
            case 17:
            case 18:
            case 24:
            case 25:
                StartTransfer(index, argument);
                break;
            case 55:
                _appCommand = true;
                RespondR1();
                break;
            case 58:
                // R3: OCR with the 2.7-3.6 V window, power up status (bit 31) and CCS (bit 30) (§5.1).
                uint ocr = 0x00FF8000;
                if (!_idle) ocr |= 0x80000000;
                if (!_idle && Kind == SdCardKind.HighCapacity) ocr |= 0x40000000;
                StartResponse(_ncr);
                Put(R1());
                Put((byte)(ocr >> 24));
                Put((byte)(ocr >> 16));
                Put((byte)(ocr >> 8));
                Put((byte)ocr);
                break;
            case 59:
                _crcOn = (argument & 1) != 0;
                RespondR1();
                break;
            default:
                RespondR1(R1Illegal);
                break;
        }
    }

    void StartTransfer(int index, uint argument)
    {
        long block;
        if (Kind == SdCardKind.HighCapacity) block = argument;
        else
        {
            if (argument % BlockLength != 0)
            {
                RespondR1(R1AddressError);
                return;
            }
            block = argument / BlockLength;
        }
        if (block >= CapacityBlocks)
        {
            _status |= StatusOutOfRange;
            RespondR1(R1ParameterError);
            return;
        }
        RespondR1();
        switch (index)
        {
            case 17:
                AppendReadBlock(block);
                break;
            case 18:
                _mode = Mode.MultipleRead;
                _readBlock = block;
                _readHalted = false;
                _readStarted = false;
                break;
            default:
                _mode = Mode.WriteToken;
                _multipleWrite = index == 25;
                _writeBlock = block;
                break;
        }
    }

    void ExecuteApplicationCommand(int index, uint argument)
    {
        switch (index)
        {
            case 41:
                // HCS is read at the first ACMD41 only; a high capacity card stays busy for a host
                // that did not send CMD8 or set HCS (§7.2.1).
                if (_opCondPolls == 0) _hostCapacitySupport = (argument & 0x40000000) != 0;
                _opCondPolls++;
                bool refuses = Kind == SdCardKind.HighCapacity && (!_hostCapacitySupport || !_ifCondSeen);
                if (_idle && !refuses && _opCondPolls >= InitPollsUntilReady) _idle = false;
                RespondR1();
                break;
            case 23:
                // SET_WR_BLK_ERASE_COUNT: accepted, no effect.
                RespondR1(_idle ? R1Illegal : (byte)0);
                break;
            default:
                RespondR1(R1Illegal);
                break;
        }
    }
}
