using Atcp.Firmware.Hal;

namespace Atcp.Firmware.Disk.Sd
{
    // Reads: CMD17 for one block, CMD18 + CMD12 for runs and for the streaming API (§7.2.3).
    public sealed partial class SdCard
    {
        bool _streaming;
        long _streamBlock;
        // Whole block + CRC for partial block reads, so the CRC can be checked before the caller's
        // bytes are copied out.
        readonly byte[] _block = new byte[SdTiming.BlockLength + 2];
        int _receivedCrc;

        /// <summary>A multiple block read is open (between BeginRead and EndRead); other operations
        /// return NotReady until it ends.</summary>
        public bool IsStreaming { get { return _streaming; } }

        /// <summary>The block the next ReadNext delivers.</summary>
        public long StreamBlock { get { return _streamBlock; } }

        /// <summary>Reads count blocks from block into buffer[offset..]: CMD17 for one, CMD18 for
        /// more. CRC errors are retried MaxRetries times per block.</summary>
        public BlockStatus Read(long block, int count, byte[] buffer, int offset)
        {
            CheckBuffer(buffer, offset, count);
            if (count == 0) return BlockStatus.Ok;
            BlockStatus status = CheckReady();
            if (status != BlockStatus.Ok) return status;
            if (block < 0 || block + count > _info.BlockCount) return BlockStatus.OutOfRange;
            if (count == 1) return ReadSingle(block, buffer, offset);
            status = BeginRead(block);
            if (status != BlockStatus.Ok) return status;
            for (int i = 0; i < count; i++)
            {
                // ReadNext closes the stream itself when it fails.
                status = ReadNext(buffer, offset + i * SdTiming.BlockLength, 0, SdTiming.BlockLength);
                if (status != BlockStatus.Ok) return status;
            }
            return EndRead();
        }

        BlockStatus ReadSingle(long block, byte[] buffer, int offset)
        {
            for (int attempt = 0; ; attempt++)
            {
                Select();
                BlockStatus status = StartRead(SdCommand.ReadSingleBlock, block);
                if (status == BlockStatus.Ok) status = ReceiveBlock(buffer, offset, 0, SdTiming.BlockLength);
                Deselect();
                if (status == BlockStatus.Ok)
                {
                    _stats.BlocksRead++;
                    _stats.PayloadBytesRead += SdTiming.BlockLength;
                    return status;
                }
                if (status == BlockStatus.CrcError && attempt < MaxRetries)
                {
                    _stats.Retries++;
                    continue;
                }
                if (status == BlockStatus.Timeout) return Probe(status);
                return status;
            }
        }

        /// <summary>Starts a multiple block read (CMD18) at block and keeps the card selected until
        /// EndRead. Then ReadNext delivers one block per call straight into the caller's buffer.</summary>
        public BlockStatus BeginRead(long block)
        {
            BlockStatus status = CheckReady();
            if (status != BlockStatus.Ok) return status;
            if (block < 0 || block >= _info.BlockCount) return BlockStatus.OutOfRange;
            for (int attempt = 0; ; attempt++)
            {
                Select();
                status = StartRead(SdCommand.ReadMultipleBlock, block);
                if (status == BlockStatus.Ok)
                {
                    _streaming = true;
                    _streamBlock = block;
                    return status;
                }
                Deselect();
                if (status == BlockStatus.CrcError && attempt < MaxRetries)
                {
                    _stats.Retries++;
                    continue;
                }
                if (status == BlockStatus.Timeout) return Probe(status);
                return status;
            }
        }

        /// <summary>Reads the next whole block of the stream into buffer[offset..offset+512).</summary>
        public BlockStatus ReadNext(byte[] buffer, int offset)
        {
            return ReadNext(buffer, offset, 0, SdTiming.BlockLength);
        }

        /// <summary>Reads bytes [skip, skip+take) of the next block of the stream into
        /// buffer[offset..offset+take); the whole block is still clocked and CRC-checked. A whole
        /// block (skip 0, take 512) goes straight into the caller's buffer; a part goes through an
        /// internal block buffer. On failure the stream is closed (EndRead is then a no-op).</summary>
        public BlockStatus ReadNext(byte[] buffer, int offset, int skip, int take)
        {
            if (buffer == null) throw new System.ArgumentNullException("buffer");
            if (skip < 0 || take < 0 || skip + take > SdTiming.BlockLength || offset < 0 || offset + take > buffer.Length)
            {
                throw new System.ArgumentOutOfRangeException("take");
            }
            if (!_streaming) return BlockStatus.NotReady;
            if (_streamBlock >= _info.BlockCount) return BlockStatus.OutOfRange;
            for (int attempt = 0; ; attempt++)
            {
                BlockStatus status = ReceiveBlock(buffer, offset, skip, take);
                if (status == BlockStatus.Ok)
                {
                    _streamBlock++;
                    _stats.BlocksRead++;
                    _stats.PayloadBytesRead += take;
                    return status;
                }
                if (status == BlockStatus.CrcError && attempt < MaxRetries)
                {
                    // Restart the transfer at the failed block: CMD12, then CMD18 again.
                    _stats.Retries++;
                    status = StopTransmission();
                    if (status == BlockStatus.Ok) status = StartRead(SdCommand.ReadMultipleBlock, _streamBlock);
                    if (status == BlockStatus.Ok) continue;
                }
                return CloseStream(status);
            }
        }

        /// <summary>Ends the stream: CMD12 (R1b) and CS high. Ok when no stream is open.</summary>
        public BlockStatus EndRead()
        {
            if (!_streaming) return BlockStatus.Ok;
            return CloseStream(BlockStatus.Ok);
        }

        BlockStatus CloseStream(BlockStatus status)
        {
            BlockStatus stop = StopTransmission();
            Deselect();
            _streaming = false;
            if (status == BlockStatus.Ok) status = stop;
            if (status == BlockStatus.Timeout) return Probe(status);
            return status;
        }

        BlockStatus StartRead(SdCommand command, long block)
        {
            int r1 = Command(command, Address(block), 0);
            if (r1 < 0) return BlockStatus.Timeout;
            if (r1 != 0) return FromR1(r1);
            return BlockStatus.Ok;
        }

        // CMD12 then R1b busy (§7.3.2.2). Address or parameter errors in this R1 can only mean the
        // card had started prefetching past its last block; the blocks we took were fine.
        BlockStatus StopTransmission()
        {
            int r1 = Command(SdCommand.StopTransmission, 0, 0);
            if (r1 < 0) return BlockStatus.Timeout;
            if (!WaitNotBusy(SdTiming.ReadTimeoutMs)) return BlockStatus.Timeout;
            return BlockStatus.Ok;
        }

        /// <summary>Waits for the data token (§7.3.3.2) and receives one block; bytes [skip, skip+take)
        /// end up in buffer[offset..].</summary>
        BlockStatus ReceiveBlock(byte[] buffer, int offset, int skip, int take)
        {
            // Read access time: at most 100 ms (§4.6.2.1).
            int token = WaitWhile(0xFF, TokenPollBytes, SdTiming.ReadTimeoutMs);
            if (token < 0) return BlockStatus.Timeout;
            if (token != SdToken.StartBlock)
            {
                DropLookAhead();
                // Data error token 0000xxxx (§7.3.3.3); anything else is a garbled token, retried.
                if ((token & SdToken.DataErrorMask) != 0) return BlockStatus.CrcError;
                if ((token & SdToken.DataErrorOutOfRange) != 0) return BlockStatus.OutOfRange;
                return BlockStatus.DeviceError;
            }
            bool whole = skip == 0 && take == SdTiming.BlockLength;
            byte[] target = whole ? buffer : _block;
            int at = whole ? offset : 0;
            ReceiveData(target, at);
            if (DataCrc && SdCrc.Crc16(target, at, SdTiming.BlockLength, 0) != _receivedCrc)
            {
                _stats.CrcErrors++;
                return BlockStatus.CrcError;
            }
            if (!whole && take > 0) System.Array.Copy(_block, skip, buffer, offset, take);
            return BlockStatus.Ok;
        }

        // The 512 data bytes go to target[at..]; the CRC to _receivedCrc. Data already clocked while
        // polling for the token comes from the look-ahead; the rest is one transaction into the
        // target, including the CRC when the target has two spare bytes after the block (they are
        // saved and restored), else two.
        void ReceiveData(byte[] target, int at)
        {
            int length = SdTiming.BlockLength;
            int have = _lookEnd - _lookPos;
            if (have > 0)
            {
                System.Array.Copy(_look, _lookPos, target, at, have);
                DropLookAhead();
            }
            int rest = length - have;
            if (target.Length - at >= length + 2)
            {
                byte saved0 = target[at + length];
                byte saved1 = target[at + length + 1];
                Transfer(_ones, 0, target, at + have, rest + 2);
                _receivedCrc = (target[at + length] << 8) | target[at + length + 1];
                target[at + length] = saved0;
                target[at + length + 1] = saved1;
            }
            else
            {
                Transfer(_ones, 0, target, at + have, rest);
                Transfer(_ones, 0, _look, 0, 2);
                _receivedCrc = (_look[0] << 8) | _look[1];
            }
        }

        static void CheckBuffer(byte[] buffer, int offset, int count)
        {
            if (buffer == null) throw new System.ArgumentNullException("buffer");
            if (offset < 0 || count < 0 || offset + (long)count * SdTiming.BlockLength > buffer.Length)
            {
                throw new System.ArgumentOutOfRangeException("count");
            }
        }
    }
}
