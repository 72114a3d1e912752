using Atcp.Firmware.Hal;

namespace Atcp.Firmware.Disk.Sd
{
    // The multiple block read engine (CMD18, §7.2.3) behind every read of more than one block, the
    // explicit stream (BeginRead/ReadNext/EndRead) and the data path's byte reads (ReadBytes).
    //
    // The card's output during CMD18 is a byte stream: per block NAC idle bytes (0xFF), the Start
    // Block token, 512 data bytes, CRC16 (§7.3.3.2, §7.5). The engine clocks it in large transfers
    // sized from the gap it last saw (one transfer for gap + token + 512 + CRC, several blocks per
    // transfer when the caller needs several) and parses it with a small state machine (gap, data,
    // CRC) that carries its state from one transfer to the next: a gap longer than expected just
    // continues in the next transfer, a shorter one leaves bytes of the next block, parsed first next
    // time. Everything happens in one buffer: a transfer lands right after the data decoded so far and
    // the parser moves each block's data down over the gap, token and CRC bytes (Array.Copy, which
    // copies overlapping ranges correctly), so decoded blocks sit back to back at the start.
    //
    // Decoded, CRC-checked blocks stay in the buffer after the caller took what it wanted: the next
    // read that continues there (the next TCP segment) gets the rest of a partly used block without
    // clocking it again, even when the stream had to be closed meanwhile (another card used the bus,
    // a metadata read). Any write invalidates them.
    public sealed partial class SdCard
    {
        // Blocks the engine decodes per refill: a 1460-byte segment needs at most 3 beyond a kept tail.
        const int StreamBlocks = 3;
        // Gap the buffer is sized for: up to this, three blocks fit one transfer. Longer gaps are still
        // estimated (up to MaxGapEstimate) but transfers are cut to the room left in the buffer.
        const int BufferedGap = 64;
        const int MaxGapEstimate = 2048;
        // Per block: Start Block token + 512 data bytes + CRC16.
        const int BlockFrameLength = SdTiming.BlockLength + 3;
        // First poll once a whole transfer brought nothing but idle bytes (a slow card); polls double
        // up to 8 times this.
        const int GapPollBytes = 32;
        internal const int StreamBufferLength = StreamBlocks * (BlockFrameLength + BufferedGap) + GapPollBytes;

        const int PhaseGap = 0;
        const int PhaseData = 1;
        const int PhaseCrc = 2;

        // MOSI source for read transfers of up to a block and its CRC: all 0xFF, never written. Longer
        // stream transfers send the target bytes themselves, first set to 0xFF (see ClockInto), so
        // no second buffer of the stream's size is needed.
        static readonly byte[] Ones = MakeOnes();

        static byte[] MakeOnes()
        {
            byte[] ones = new byte[SdTiming.BlockLength + 4];
            for (int i = 0; i < ones.Length; i++) ones[i] = 0xFF;
            return ones;
        }

        // Clocks n bytes into _buf[at..] with MOSI held high (0xFF: a card in a multiple block read
        // watches MOSI for CMD12, §7.2.3). Beyond Ones' length the region is filled with 0xFF by
        // doubling copies (a handful of Array.Copy calls) and sent as its own MOSI; the transport
        // allows read and write to be the same array.
        void ClockInto(int at, int n)
        {
            if (n <= Ones.Length)
            {
                Transfer(Ones, 0, _buf, at, n);
                return;
            }
            System.Array.Copy(Ones, 0, _buf, at, Ones.Length);
            int done = Ones.Length;
            while (done < n)
            {
                int k = done < n - done ? done : n - done;
                System.Array.Copy(_buf, at, _buf, at + done, k);
                done += k;
            }
            Transfer(_buf, at, _buf, at, n);
        }

        // The stream buffer: the one its SharedBus gives every card on the bus, or this card's own,
        // made by the first OpenStream (so a card that joins a shared bus at boot leaves no garbage).
        byte[] _buf;
        bool _streaming;          // CMD18 open: CS low, the card sends block after block
        bool _explicit;           // opened by BeginRead: other operations get NotReady until EndRead
        long _streamBlock;        // explicit streams: the block the next ReadNext delivers
        bool _cacheValid;         // _buf[0.._dataEnd) holds blocks from _dataBlock on
        long _dataBlock;          // block number of _buf[0]
        int _dataPos;             // reader position in _buf (up to 511 past _dataEnd: a skip into the next block)
        int _dataEnd;             // end of decoded, CRC-checked data (whole blocks)
        int _phase;
        int _got;                 // data bytes of the block being received, at _buf[_dataEnd..]
        int _crcGot;
        int _crc;
        int _gapSeen;             // idle bytes before the token of the block being received
        bool _firstOfRun;         // the next token is the first after CMD18 (NAC, not an inter-block gap)
        int _gapEstimate = 1;
        int _rawPos;              // unparsed card bytes: _buf[_rawPos.._rawEnd)
        int _rawEnd;
        int _blockRetries;

        /// <summary>A multiple block read is open (explicit, or the data path's stream).</summary>
        public bool IsStreaming { get { return _streaming; } }

        /// <summary>The block the next ReadNext delivers.</summary>
        public long StreamBlock { get { return _streamBlock; } }

        /// <summary>Idle bytes the engine currently expects between two blocks of a multiple block
        /// read (the last gap seen, decaying), which sizes its transfers.</summary>
        public int GapEstimate { get { return _gapEstimate; } }

        /// <summary>Reads count bytes starting at byte skip of block into buffer[offset..]. A read that
        /// continues where the previous one ended (or inside data still buffered) goes on with the open
        /// multiple block read: no command, no block clocked twice. Anything else on this card or on
        /// another card of the same <see cref="SharedBus"/> closes the stream first (CMD12). Every block
        /// is CRC-checked (DataCrc); CRC errors restart the read at the failed block (MaxRetries).</summary>
        public BlockStatus ReadBytes(long block, int skip, byte[] buffer, int offset, int count)
        {
            if (buffer == null) throw new System.ArgumentNullException("buffer");
            if (skip < 0 || skip >= SdTiming.BlockLength || count < 0 || offset < 0 || offset + count > buffer.Length)
                throw new System.ArgumentOutOfRangeException("count");
            if (count == 0) return BlockStatus.Ok;
            if (!IsCardPresent()) return Lost();
            if (_state == CardState.Lost) return BlockStatus.NoCard;
            if (_state != CardState.Ready) return BlockStatus.NotReady;
            if (_streaming && _explicit) return BlockStatus.NotReady;
            long position = block * SdTiming.BlockLength + skip;
            if (block < 0 || position + count > _info.BlockCount * SdTiming.BlockLength) return BlockStatus.OutOfRange;

            long start = _dataBlock * SdTiming.BlockLength;
            // Inside the buffered blocks, or (stream open) inside the block being received.
            long limit = start + _dataEnd + (_streaming ? SdTiming.BlockLength - 1 : 0);
            if (_cacheValid && position >= start && position <= limit)
            {
                _dataPos = (int)(position - start);
            }
            else
            {
                if (_streaming)
                {
                    BlockStatus stop = CloseStream(BlockStatus.Ok);
                    if (stop != BlockStatus.Ok) return stop;
                }
                ResetBuffer(block);
                _dataPos = skip;
            }
            return Pull(buffer, offset, count, 0);
        }

        /// <summary>Closes the data path's stream, if one is open (CMD12, CS high), keeping the decoded
        /// blocks; Ok when none is open. Explicit streams are ended by EndRead.</summary>
        public BlockStatus StopReading()
        {
            if (!_streaming || _explicit) return BlockStatus.Ok;
            return CloseStream(BlockStatus.Ok);
        }

        void ResetBuffer(long block)
        {
            _dataBlock = block;
            _dataPos = 0;
            _dataEnd = 0;
            _cacheValid = true;
            ResetParser();
        }

        void ResetParser()
        {
            _phase = PhaseGap;
            _got = 0;
            _crcGot = 0;
            _gapSeen = 0;
            _rawPos = 0;
            _rawEnd = 0;
        }

        /// <summary>Copies count bytes from the reader position into buffer (null when count is 0),
        /// decoding more blocks as needed, then makes sure the reader position itself is decoded
        /// (ReadNext moves it to the end of a block it must CRC-check). aheadBlocks: blocks to decode
        /// beyond the need (explicit streams read ahead). On failure the stream is closed; bytes
        /// decoded before the failure are still delivered.</summary>
        BlockStatus Pull(byte[] buffer, int offset, int count, int aheadBlocks)
        {
            while (true)
            {
                int available = _dataEnd - _dataPos;
                if (available > 0 && count > 0)
                {
                    int n = available < count ? available : count;
                    System.Array.Copy(_buf, _dataPos, buffer, offset, n);
                    _dataPos += n;
                    offset += n;
                    count -= n;
                    _stats.PayloadBytesRead += n;
                }
                if (count == 0 && _dataPos <= _dataEnd) return BlockStatus.Ok;
                BlockStatus status = Fill(count, aheadBlocks);
                if (status == BlockStatus.Ok) continue;
                // Deliver what was decoded before the failure, then report it.
                available = _dataEnd - _dataPos;
                if (available > 0 && count > 0)
                {
                    int n = available < count ? available : count;
                    System.Array.Copy(_buf, _dataPos, buffer, offset, n);
                    _dataPos += n;
                    _stats.PayloadBytesRead += n;
                }
                _cacheValid = false;
                if (_streaming) return CloseStream(status);
                if (status == BlockStatus.Timeout) return Probe(status);
                return status;
            }
        }

        /// <summary>Decodes the blocks that hold the next count bytes after the reader position (at
        /// most StreamBlocks, plus aheadBlocks within that limit). Called with everything decoded
        /// already taken: the block being received moves to the start of the buffer first.</summary>
        BlockStatus Fill(int count, int aheadBlocks)
        {
            Compact();
            long cardBlock = _dataBlock;
            int wanted = (_dataPos + count + SdTiming.BlockLength - 1) / SdTiming.BlockLength;
            if (wanted < 1) wanted = 1;
            wanted += aheadBlocks;
            if (wanted > StreamBlocks) wanted = StreamBlocks;
            // Never ask the card for blocks past its end (it would answer 'out of range').
            if (cardBlock + wanted > _info.BlockCount) wanted = (int)(_info.BlockCount - cardBlock);
            if (wanted < 1) return BlockStatus.OutOfRange;
            int target = wanted * SdTiming.BlockLength;
            if (!_streaming)
            {
                BlockStatus open = OpenStream(cardBlock);
                if (open != BlockStatus.Ok) return open;
            }
            int idlePolls = 0;
            long idleSince = 0;
            bool transferred = false;
            long tokensBefore = 0;
            while (true)
            {
                BlockStatus status = Parse(target);
                if (status == BlockStatus.CrcError)
                {
                    if (_blockRetries >= MaxRetries) return status;
                    _blockRetries++;
                    _stats.Retries++;
                    // Restart the transfer at the failed block: CMD12, then CMD18 again (§7.2.3).
                    status = StopTransmission();
                    if (status == BlockStatus.Ok) status = StartRead(SdCommand.ReadMultipleBlock, _dataBlock + _dataEnd / SdTiming.BlockLength);
                    if (status != BlockStatus.Ok)
                    {
                        Abandon();
                        return status;
                    }
                    ResetParser();
                    _firstOfRun = true;
                    AdoptLookAhead();
                    transferred = false;
                    continue;
                }
                if (status != BlockStatus.Ok) return status;
                if (_dataEnd >= target) return BlockStatus.Ok;

                // Everything clocked so far is parsed: clock what the rest should take. A transfer that
                // brought idle bytes only, beyond the gap expected, means a slow card: poll in growing
                // transfers, within the read access time (§4.6.2.1): SpinPolls back to back, then 1 ms
                // sleeps until 100 ms passed, as WaitWhile does for single blocks.
                int n;
                if (transferred && _phase == PhaseGap && _tokens == tokensBefore && _gapSeen >= _gapEstimate)
                {
                    if (idlePolls >= SpinPolls)
                    {
                        long now = _clock.NowMilliseconds;
                        if (idlePolls == SpinPolls) idleSince = now;
                        else if (now - idleSince >= SdTiming.ReadTimeoutMs)
                        {
                            _stats.Timeouts++;
                            return BlockStatus.Timeout;
                        }
                        _clock.Sleep(1);
                    }
                    // Polls grow (32, 64, ... 256 bytes): a long gap costs few transfers, a short
                    // wait little over-clocking.
                    n = GapPollBytes << (idlePolls < 3 ? idlePolls : 3);
                    idlePolls++;
                }
                else
                {
                    idlePolls = 0;
                    n = RemainingBytes(target);
                }
                int at = _dataEnd + (_phase == PhaseGap ? 0 : _phase == PhaseData ? _got : SdTiming.BlockLength);
                if (n > _buf.Length - at) n = _buf.Length - at;
                ClockInto(at, n);
                _rawPos = at;
                _rawEnd = at + n;
                transferred = true;
                tokensBefore = _tokens;
            }
        }

        long _tokens;             // Start Block tokens parsed (progress marker for the idle check)

        // Gives up the stream without CMD12 (the card did not answer it): CS high, state cleared.
        void Abandon()
        {
            _streaming = false;
            _explicit = false;
            ResetParser();
            Deselect();
        }

        // Bytes that should complete the blocks up to target, given the gap estimate.
        int RemainingBytes(int target)
        {
            int n;
            int done = _dataEnd;
            if (_phase == PhaseGap)
            {
                int gap = _gapEstimate - _gapSeen;
                n = (gap > 0 ? gap : 0) + BlockFrameLength;
            }
            else if (_phase == PhaseData) n = SdTiming.BlockLength - _got + 2;
            else n = 2 - _crcGot;
            done += SdTiming.BlockLength;
            if (target > done) n += (target - done) / SdTiming.BlockLength * (BlockFrameLength + _gapEstimate);
            return n;
        }

        /// <summary>Parses the unparsed card bytes until the decoded data reaches target bytes or the
        /// bytes run out. Ok, or the status of a data error token; CrcError for a failed CRC16 or a
        /// garbled token (both retried by the caller).</summary>
        BlockStatus Parse(int target)
        {
            byte[] b = _buf;
            while (_rawPos < _rawEnd && _dataEnd < target)
            {
                if (_phase == PhaseGap)
                {
                    // Only the idle bytes between blocks are looked at one by one (a few per block).
                    while (_rawPos < _rawEnd && b[_rawPos] == 0xFF) { _rawPos++; _gapSeen++; }
                    if (_rawPos == _rawEnd) break;
                    int token = b[_rawPos++];
                    if (token != SdToken.StartBlock)
                    {
                        // Data error token 0000xxxx (§7.3.3.3); anything else is a garbled token.
                        if ((token & SdToken.DataErrorMask) != 0) return BlockStatus.CrcError;
                        if ((token & SdToken.DataErrorOutOfRange) != 0) return BlockStatus.OutOfRange;
                        return BlockStatus.DeviceError;
                    }
                    if (!_firstOfRun) LearnGap(_gapSeen);
                    _firstOfRun = false;
                    _gapSeen = 0;
                    _tokens++;
                    _phase = PhaseData;
                    _got = 0;
                }
                else if (_phase == PhaseData)
                {
                    int n = SdTiming.BlockLength - _got;
                    if (n > _rawEnd - _rawPos) n = _rawEnd - _rawPos;
                    int to = _dataEnd + _got;
                    if (to != _rawPos) System.Array.Copy(b, _rawPos, b, to, n);
                    _rawPos += n;
                    _got += n;
                    if (_got == SdTiming.BlockLength)
                    {
                        _phase = PhaseCrc;
                        _crcGot = 0;
                        _crc = 0;
                    }
                }
                else
                {
                    while (_crcGot < 2 && _rawPos < _rawEnd)
                    {
                        _crc = (_crc << 8) | b[_rawPos++];
                        _crcGot++;
                    }
                    if (_crcGot < 2) break;
                    if (DataCrc && SdCrc.Crc16(b, _dataEnd, SdTiming.BlockLength, 0) != _crc)
                    {
                        _stats.CrcErrors++;
                        return BlockStatus.CrcError;
                    }
                    _dataEnd += SdTiming.BlockLength;
                    _phase = PhaseGap;
                    _got = 0;
                    _blockRetries = 0;
                    _stats.BlocksRead++;
                }
            }
            return BlockStatus.Ok;
        }

        // Follows the gap between blocks: up at once to a longer gap, down by an eighth of the
        // difference (at least a byte) per shorter one. Over-estimating costs nothing while the stream
        // goes on (bytes clocked beyond the blocks wanted are the next block's and are parsed next
        // time; transfers never exceed the buffer); under-estimating costs a transfer.
        void LearnGap(int gap)
        {
            if (gap > MaxGapEstimate) gap = MaxGapEstimate;
            if (gap >= _gapEstimate) { _gapEstimate = gap; return; }
            int step = (_gapEstimate - gap) >> 3;
            _gapEstimate -= step > 0 ? step : 1;
        }

        // Moves the block being received (and unparsed bytes) to the start of the buffer once the
        // reader has taken every decoded byte.
        void Compact()
        {
            int shift = _dataEnd;
            if (shift == 0) return;
            int partial = _phase == PhaseGap ? 0 : _phase == PhaseData ? _got : SdTiming.BlockLength;
            if (partial > 0) System.Array.Copy(_buf, shift, _buf, 0, partial);
            int raw = _rawEnd - _rawPos;
            if (raw > 0) System.Array.Copy(_buf, _rawPos, _buf, partial, raw);
            _rawPos = partial;
            _rawEnd = partial + raw;
            _dataBlock += shift / SdTiming.BlockLength;
            _dataPos -= shift;
            _dataEnd = 0;
        }

        /// <summary>CMD18 at block, with CS held low afterwards; CRC errors on the command are retried.</summary>
        BlockStatus OpenStream(long block)
        {
            if (_buf == null) _buf = new byte[StreamBufferLength];
            for (int attempt = 0; ; attempt++)
            {
                Select();
                BlockStatus status = StartRead(SdCommand.ReadMultipleBlock, block);
                if (status == BlockStatus.Ok)
                {
                    _streaming = true;
                    _firstOfRun = true;
                    _blockRetries = 0;
                    ResetParser();
                    AdoptLookAhead();
                    return status;
                }
                Deselect();
                if (status == BlockStatus.CrcError && attempt < MaxRetries)
                {
                    _stats.Retries++;
                    continue;
                }
                return status;
            }
        }

        // Bytes clocked after the command's R1 are the start of the block stream: hand them to the parser.
        void AdoptLookAhead()
        {
            int n = _lookEnd - _lookPos;
            int at = _dataEnd;
            if (n > 0) System.Array.Copy(_look, _lookPos, _buf, at, n);
            DropLookAhead();
            _rawPos = at;
            _rawEnd = at + n;
        }

        /// <summary>Ends the open stream: CMD12 (R1b) and CS high; decoded blocks stay buffered unless
        /// status is a failure.</summary>
        BlockStatus CloseStream(BlockStatus status)
        {
            BlockStatus stop = StopTransmission();
            Deselect();
            _streaming = false;
            _explicit = false;
            // Bytes of the block being received and anything after it are gone with the stream.
            ResetParser();
            if (_dataPos > _dataEnd) _dataPos = _dataEnd;
            if (status == BlockStatus.Ok) status = stop;
            if (status != BlockStatus.Ok) _cacheValid = false;
            if (status == BlockStatus.Timeout) return Probe(status);
            return status;
        }

        /// <summary>Called through the shared bus when another card needs it: closes any open stream.</summary>
        void ReleaseBus()
        {
            if (_streaming) CloseStream(BlockStatus.Ok);
        }
    }
}
