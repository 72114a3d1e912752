namespace Atcp.Firmware.Nic
{
    // SPI frame helpers (datasheet 2.2, 2.3). Every helper is exactly one ISpiTransport call, i.e.
    // one chip-select cycle, in variable length data mode; the chip auto-increments the offset
    // address after each data byte (2.2), so one frame reads or writes a run of registers.
    public sealed partial class W5500
    {
        static byte Control(byte block, bool write)
        {
            return (byte)((block << W5500Spi.BlockShift) | (write ? W5500Spi.Write : W5500Spi.Read)
                | W5500Spi.VariableLengthDataMode);
        }

        static void PutHeader(byte[] buffer, int offset, ushort address, byte control)
        {
            buffer[offset] = (byte)(address >> 8);   // address phase, MSB first (2.2.1)
            buffer[offset + 1] = (byte)address;
            buffer[offset + 2] = control;            // control phase (2.2.2)
        }

        void Count(int bytes)
        {
            Counters.SpiTransactions++;
            Counters.SpiBytes += bytes;
        }

        /// <summary>Reads count registers from address into _reg[3..].</summary>
        void ReadRegisters(byte block, ushort address, int count)
        {
            PutHeader(_reg, 0, address, Control(block, false));
            // MOSI is ignored in a read's data phase; send zeros so bus traces are reproducible.
            System.Array.Clear(_reg, W5500Spi.HeaderLength, count);
            int length = W5500Spi.HeaderLength + count;
            _spi.TransferFullDuplex(_reg, 0, _reg, 0, length);
            Count(length);
        }

        byte ReadByte(byte block, ushort address)
        {
            ReadRegisters(block, address, 1);
            return _reg[W5500Spi.HeaderLength];
        }

        /// <summary>Reads a 16-bit register (big-endian, MSB at the lower address).</summary>
        int ReadUInt16(byte block, ushort address)
        {
            ReadRegisters(block, address, 2);
            return (_reg[W5500Spi.HeaderLength] << 8) | _reg[W5500Spi.HeaderLength + 1];
        }

        void WriteRegisters(int count)
        {
            int length = W5500Spi.HeaderLength + count;
            _spi.Write(_reg, 0, length);
            Count(length);
        }

        void WriteByte(byte block, ushort address, byte value)
        {
            PutHeader(_reg, 0, address, Control(block, true));
            _reg[3] = value;
            WriteRegisters(1);
        }

        void WriteTwoBytes(byte block, ushort address, int first, int second)
        {
            PutHeader(_reg, 0, address, Control(block, true));
            _reg[3] = (byte)first;
            _reg[4] = (byte)second;
            WriteRegisters(2);
        }

        /// <summary>Writes a 16-bit register big-endian.</summary>
        void WriteUInt16(byte block, ushort address, int value)
        {
            WriteTwoBytes(block, address, value >> 8, value);
        }

        void WriteBytes(byte block, ushort address, byte[] source, int offset, int count)
        {
            PutHeader(_reg, 0, address, Control(block, true));
            System.Array.Copy(source, offset, _reg, W5500Spi.HeaderLength, count);
            WriteRegisters(count);
        }

        /// <summary>Reads length bytes of the Socket 0 RX buffer from pointer into
        /// buffer[start + 3 ..]; buffer[start .. start + 3) carries the SPI header out and receives
        /// junk. The chip maps the 16-bit pointer into the socket buffer modulo its size and keeps
        /// doing so while auto-incrementing (3.3), so a read across the ring's end needs no split.</summary>
        void ReadRing(byte[] buffer, int start, ushort pointer, int length)
        {
            PutHeader(buffer, start, pointer, Control(W5500Block.Socket0RxBuffer, false));
            int total = W5500Spi.HeaderLength + length;
            _spi.TransferFullDuplex(buffer, start, buffer, start, total);
            Count(total);
        }

        /// <summary>Writes buffer[start + 3 .. + length) into the Socket 0 TX buffer at pointer;
        /// buffer[start .. start + 3) is overwritten with the SPI header.</summary>
        void WriteRing(byte[] buffer, int start, ushort pointer, int length)
        {
            PutHeader(buffer, start, pointer, Control(W5500Block.Socket0TxBuffer, true));
            int total = W5500Spi.HeaderLength + length;
            _spi.Write(buffer, start, total);
            Count(total);
        }

        /// <summary>Writes a Socket 0 command and waits until the chip accepts it (Sn_CR reads 0x00,
        /// datasheet 4.2).</summary>
        bool Command(byte command)
        {
            WriteByte(W5500Block.Socket0Registers, W5500SocketRegister.Sn_CR, command);
            _commandUnconfirmed = true;
            return WaitCommandAccepted();
        }

        bool WaitCommandAccepted()
        {
            if (!WaitUntilClear(W5500Block.Socket0Registers, W5500SocketRegister.Sn_CR, 0xFF, CommandTimeoutMs))
            {
                Counters.CommandTimeouts++;
                return false;
            }
            _commandUnconfirmed = false;
            return true;
        }

        /// <summary>Polls a register until (value &amp; mask) == 0: once at once, then once per
        /// millisecond until timeoutMs passes.</summary>
        bool WaitUntilClear(byte block, ushort address, byte mask, int timeoutMs)
        {
            long deadline = _clock.NowMilliseconds + timeoutMs;
            while (true)
            {
                if ((ReadByte(block, address) & mask) == 0) return true;
                if (_clock.NowMilliseconds >= deadline) return false;
                _clock.Sleep(1);
            }
        }

        bool WaitForStatus(byte status, int timeoutMs)
        {
            long deadline = _clock.NowMilliseconds + timeoutMs;
            while (true)
            {
                if (ReadByte(W5500Block.Socket0Registers, W5500SocketRegister.Sn_SR) == status) return true;
                if (_clock.NowMilliseconds >= deadline) return false;
                _clock.Sleep(1);
            }
        }
    }
}
