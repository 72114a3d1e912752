using Atcp.Firmware.Hal;

namespace Atcp.Firmware.Disk.Sd
{
    // Reads: CMD17 for one block, CMD18 + CMD12 for runs and for the streaming API (§7.2.3).
    public sealed partial class SdCard
    {
        int _receivedCrc;

        /// <summary>Reads count blocks from block into buffer[offset..]: CMD17 for one, CMD18 + CMD12
        /// for more (the stream engine, several blocks per transfer). CRC errors are retried MaxRetries
        /// times per block.</summary>
        public BlockStatus Read(long block, int count, byte[] buffer, int offset)
        {
            CheckBuffer(buffer, offset, count);
            if (count == 0) return BlockStatus.Ok;
            BlockStatus status = CheckReady();
            if (status != BlockStatus.Ok) return status;
            if (block < 0 || block + count > _info.BlockCount) return BlockStatus.OutOfRange;
            if (count == 1) return ReadSingle(block, buffer, offset);
            ResetBuffer(block);
            // Pull closes the stream itself when it fails.
            status = Pull(buffer, offset, count * SdTiming.BlockLength, 0);
            if (status != BlockStatus.Ok) return status;
            return CloseStream(BlockStatus.Ok);
        }

        BlockStatus ReadSingle(long block, byte[] buffer, int offset)
        {
            for (int attempt = 0; ; attempt++)
            {
                Select();
                BlockStatus status = StartRead(SdCommand.ReadSingleBlock, block);
                if (status == BlockStatus.Ok) status = ReceiveBlock(buffer, offset);
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

        /// <summary>Starts an explicit multiple block read (CMD18) at block and keeps the card selected
        /// until EndRead; ReadNext then delivers one block (or part of one) per call. The engine reads
        /// ahead up to three blocks per transfer.</summary>
        public BlockStatus BeginRead(long block)
        {
            BlockStatus status = CheckReady();
            if (status != BlockStatus.Ok) return status;
            if (block < 0 || block >= _info.BlockCount) return BlockStatus.OutOfRange;
            ResetBuffer(block);
            status = OpenStream(block);
            if (status != BlockStatus.Ok)
            {
                _cacheValid = false;
                if (status == BlockStatus.Timeout) return Probe(status);
                return status;
            }
            _explicit = true;
            _streamBlock = block;
            return status;
        }

        /// <summary>Reads the next whole block of the stream into buffer[offset..offset+512).</summary>
        public BlockStatus ReadNext(byte[] buffer, int offset)
        {
            return ReadNext(buffer, offset, 0, SdTiming.BlockLength);
        }

        /// <summary>Reads bytes [skip, skip+take) of the next block of the stream into
        /// buffer[offset..offset+take); the whole block is still clocked and CRC-checked. On failure
        /// the stream is closed (EndRead is then a no-op).</summary>
        public BlockStatus ReadNext(byte[] buffer, int offset, int skip, int take)
        {
            if (buffer == null) throw new System.ArgumentNullException("buffer");
            if (skip < 0 || take < 0 || skip + take > SdTiming.BlockLength || offset < 0 || offset + take > buffer.Length)
            {
                throw new System.ArgumentOutOfRangeException("take");
            }
            if (!_streaming || !_explicit) return BlockStatus.NotReady;
            if (_streamBlock >= _info.BlockCount) return BlockStatus.OutOfRange;
            long start = (_streamBlock - _dataBlock) * SdTiming.BlockLength;
            _dataPos = (int)start + skip;
            BlockStatus status = Pull(buffer, offset, take, StreamBlocks);
            if (status != BlockStatus.Ok) return status;
            // The rest of the block is decoded (and its CRC checked) before it counts as delivered.
            _dataPos = (int)((_streamBlock + 1 - _dataBlock) * SdTiming.BlockLength);
            status = Pull(null, 0, 0, StreamBlocks);
            if (status != BlockStatus.Ok) return status;
            _streamBlock++;
            return status;
        }

        /// <summary>Ends the stream: CMD12 (R1b) and CS high. Ok when no stream is open.</summary>
        public BlockStatus EndRead()
        {
            if (!_streaming) return BlockStatus.Ok;
            return CloseStream(BlockStatus.Ok);
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

        /// <summary>Waits for the data token (§7.3.3.2) and receives one block (CMD17) into
        /// buffer[offset..offset+512).</summary>
        BlockStatus ReceiveBlock(byte[] buffer, int offset)
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
            ReceiveData(buffer, offset);
            if (DataCrc && SdCrc.Crc16(buffer, offset, SdTiming.BlockLength, 0) != _receivedCrc)
            {
                _stats.CrcErrors++;
                return BlockStatus.CrcError;
            }
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
                Transfer(Ones, 0, target, at + have, rest + 2);
                _receivedCrc = (target[at + length] << 8) | target[at + length + 1];
                target[at + length] = saved0;
                target[at + length + 1] = saved1;
            }
            else
            {
                Transfer(Ones, 0, target, at + have, rest);
                Transfer(Ones, 0, _look, 0, 2);
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
