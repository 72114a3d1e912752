using Atcp.Firmware.Hal;

namespace Atcp.Firmware.Disk.Sd
{
    // Writes: CMD24 for one block, CMD25 + Stop Tran token for runs (§7.2.4).
    public sealed partial class SdCard
    {
        // Outcomes of sending one data block.
        const int BlockAccepted = 0;
        const int BlockCrcRejected = 1;
        const int BlockWriteRejected = 2;
        const int BlockNoResponse = 3;
        const int BlockBusyTimeout = 4;

        /// <summary>Writes count blocks from buffer[offset..] at block: CMD24 for one, CMD25 for more.
        /// Returns Ok once the card has left busy after the last block, i.e. programmed it. Blocks the
        /// card rejects for CRC are sent again, MaxRetries times each.</summary>
        public BlockStatus Write(long block, int count, byte[] buffer, int offset)
        {
            CheckBuffer(buffer, offset, count);
            if (count == 0) return BlockStatus.Ok;
            BlockStatus status = CheckReady();
            if (status != BlockStatus.Ok) return status;
            // Blocks buffered by the stream engine may be about to change.
            _cacheValid = false;
            if (_info.WriteProtected) return BlockStatus.ReadOnly;
            if (block < 0 || block + count > _info.BlockCount) return BlockStatus.OutOfRange;
            int done = 0;
            int retries = 0;
            while (done < count)
            {
                int written;
                long at = block + done;
                int from = offset + done * SdTiming.BlockLength;
                status = count - done == 1
                    ? WriteSingle(at, buffer, from, out written)
                    : WriteMultiple(at, count - done, buffer, from, out written);
                done += written;
                if (written > 0) retries = 0;
                if (status == BlockStatus.Ok) continue;
                if (status == BlockStatus.CrcError && retries < MaxRetries)
                {
                    retries++;
                    _stats.Retries++;
                    continue;
                }
                return status;
            }
            // A card pulled during the last busy period reads as not busy (MISO high).
            if (!IsCardPresent()) return Lost();
            return BlockStatus.Ok;
        }

        BlockStatus WriteSingle(long block, byte[] buffer, int offset, out int written)
        {
            written = 0;
            Select();
            BlockStatus status;
            int r1 = Command(SdCommand.WriteBlock, Address(block), 0);
            if (r1 < 0) status = BlockStatus.Timeout;
            else if (r1 != 0) status = FromR1(r1);
            else
            {
                int outcome = SendBlock(SdToken.StartBlock, buffer, offset);
                if (outcome == BlockAccepted) written = 1;
                status = FromOutcome(outcome);
            }
            Deselect();
            return AfterWrite(status);
        }

        // A card that stayed busy too long is there (it drives MISO low): only the card-detect switch
        // is consulted. Other timeouts mean no answer at all and are probed.
        BlockStatus AfterWrite(BlockStatus status)
        {
            if (status != BlockStatus.Timeout) return status;
            if (_cardMayBeBusy) return IsCardPresent() ? status : Lost();
            return Probe(status);
        }

        BlockStatus WriteMultiple(long block, int count, byte[] buffer, int offset, out int written)
        {
            written = 0;
            Select();
            int r1 = Command(SdCommand.WriteMultipleBlock, Address(block), 0);
            if (r1 != 0)
            {
                Deselect();
                return r1 < 0 ? Probe(BlockStatus.Timeout) : FromR1(r1);
            }
            int outcome = BlockAccepted;
            for (int i = 0; i < count && outcome == BlockAccepted; i++)
            {
                outcome = SendBlock(SdToken.StartBlockMultipleWrite, buffer, offset + i * SdTiming.BlockLength);
                if (outcome == BlockAccepted) written++;
            }
            BlockStatus status;
            if (outcome == BlockAccepted)
            {
                // Stop Tran token; busy may start up to NBR = 1 byte after it (§7.5.3), so that byte
                // is skipped before waiting for the end of busy.
                _out[0] = SdToken.StopTran;
                _out[1] = 0xFF;
                Transfer(_out, 0, _look, 0, 2);
                DropLookAhead();
                status = WaitNotBusy(WriteTimeoutMs()) ? BlockStatus.Ok : BlockStatus.Timeout;
            }
            else if (outcome == BlockCrcRejected || outcome == BlockWriteRejected)
            {
                // After an error response the host stops the transfer with CMD12 (§7.3.3.1).
                StopTransmission();
                status = FromOutcome(outcome);
            }
            else
            {
                status = BlockStatus.Timeout;
            }
            Deselect();
            return AfterWrite(status);
        }

        /// <summary>Sends one data packet (§7.3.3.2): a gap byte (NWR >= 1, §7.5.3), the token, 512
        /// bytes straight from the caller's buffer, the CRC16, then reads the data response token
        /// (§7.3.3.1) in the same transaction as the CRC and waits out busy.</summary>
        int SendBlock(byte token, byte[] buffer, int offset)
        {
            _out[0] = 0xFF;
            _out[1] = token;
            Send(_out, 0, 2);
            Send(buffer, offset, SdTiming.BlockLength);
            // With CRC off the card ignores the field (§7.2.2); 0xFFFF keeps MOSI idle.
            int crc = DataCrc ? SdCrc.Crc16(buffer, offset, SdTiming.BlockLength, 0) : 0xFFFF;
            _out[2] = (byte)(crc >> 8);
            _out[3] = (byte)crc;
            for (int i = 4; i < _out.Length; i++) _out[i] = 0xFF;
            Transfer(_out, 2, _look, 0, _out.Length - 2);
            _lookPos = 2;
            _lookEnd = _out.Length - 2;
            int response = -1;
            for (int scanned = 0; scanned < 8; scanned++)
            {
                if (_lookPos == _lookEnd) ClockIn(1);
                int b = _look[_lookPos++];
                if (b != 0xFF)
                {
                    response = b;
                    break;
                }
            }
            // 'xxx0sss1'; an idle line or anything else means the card is gone or lost sync.
            if (response < 0 || (response & 0x11) != 0x01) return BlockNoResponse;
            int code = response & SdToken.DataResponseMask;
            if (code == SdToken.DataCrcError)
            {
                _stats.CrcErrors++;
                return BlockCrcRejected;
            }
            if (code != SdToken.DataAccepted) return BlockWriteRejected;
            if (!WaitNotBusy(WriteTimeoutMs())) return BlockBusyTimeout;
            _stats.BlocksWritten++;
            return BlockAccepted;
        }

        BlockStatus FromOutcome(int outcome)
        {
            if (outcome == BlockAccepted) return BlockStatus.Ok;
            if (outcome == BlockCrcRejected) return BlockStatus.CrcError;
            if (outcome == BlockWriteRejected) return StatusAfterWriteError();
            return BlockStatus.Timeout;
        }

        // A write error response: CMD13 tells why (§7.3.3.1, R2 in §7.3.2.3).
        BlockStatus StatusAfterWriteError()
        {
            int r1 = Command(SdCommand.SendStatus, 0, 1);
            if (r1 < 0) return BlockStatus.Timeout;
            int status = _response[0];
            if ((status & SdR2.WpViolation) != 0) return BlockStatus.ReadOnly;
            if ((status & SdR2.OutOfRange) != 0 || (r1 & (SdR1.AddressError | SdR1.ParameterError)) != 0) return BlockStatus.OutOfRange;
            return BlockStatus.DeviceError;
        }

        // Busy timeout: 250 ms, 500 ms for SDXC (§4.6.2.2).
        int WriteTimeoutMs()
        {
            return _info.Type == SdCardType.Sdxc ? SdTiming.WriteTimeoutSdxcMs : SdTiming.WriteTimeoutMs;
        }
    }
}
