using Atcp.Emulation.W5500;
using Atcp.Firmware.Hal;

namespace Atcp.Firmware.Tests.Nic;

/// <summary>Things the model does not do by itself, injected between driver and chip: a frame
/// landing between two reads of Sn_RX_RSR, a SEND ending in TIMEOUT.</summary>
public class W5500FaultTests
{
    /// <summary>Passes SPI through, calling a hook after each transaction with its MOSI and MISO.</summary>
    sealed class HookedSpi(W5500Model chip, Action<byte[], byte[]?> after) : ISpiTransport
    {
        public void TransferFullDuplex(byte[] write, int writeOffset, byte[] read, int readOffset, int length)
        {
            var mosi = write.AsSpan(writeOffset, length).ToArray();
            chip.TransferFullDuplex(write, writeOffset, read, readOffset, length);
            var miso = read.AsSpan(readOffset, length);
            after(mosi, miso.ToArray());
            _rewrite?.Invoke(mosi, read, readOffset);
        }

        public void Write(byte[] buffer, int offset, int length)
        {
            chip.Write(buffer, offset, length);
            after(buffer.AsSpan(offset, length).ToArray(), null);
        }

        public Action<byte[], byte[], int>? _rewrite;
    }

    static bool IsRead(byte[] mosi, ushort address, byte control) =>
        mosi.Length >= 3 && mosi[0] == address >> 8 && mosi[1] == (byte)address && mosi[2] == control;

    [Fact]
    public void ReceivedSize_ChangingBetweenReads_IsReadUntilStable()
    {
        var clock = new VirtualClock();
        var chip = new W5500Model();
        int sizeReads = 0;
        bool injected = false;
        var spi = new HookedSpi(chip, (mosi, _) =>
        {
            if (!IsRead(mosi, 0x0026, 0x08)) return;
            sizeReads++;
            if (!injected && sizeReads == 1)
            {
                injected = true;
                chip.Deliver(TestFrames.Make(70, 2)); // arrives between the two readings
            }
        });
        var nic = new Atcp.Firmware.Nic.W5500(spi, clock, null, TestFrames.BoardMac);
        Assert.Equal(Atcp.Firmware.Nic.W5500Status.Ok, nic.Initialize());
        chip.Deliver(TestFrames.Make(60, 1));

        var buffer = new byte[3 + 1600];
        Assert.Equal(60, nic.Receive(buffer, 3, 1600));
        Assert.Equal(TestFrames.Make(60, 1), buffer[3..63]);
        Assert.Equal(3, sizeReads);                       // 62, then 134, then 134
        Assert.Equal(70, nic.Receive(buffer, 3, 1600));
        Assert.Equal(TestFrames.Make(70, 2), buffer[3..73]);
    }

    [Fact]
    public void SendEndingInTimeout_IsCountedAndFreeSizeIsReadBeforeTheNextFrame()
    {
        var clock = new VirtualClock();
        var chip = new W5500Model();
        var sent = new List<byte[]>();
        chip.FrameSent += f => sent.Add(f.ToArray());
        int freeSizeReads = 0;
        var spi = new HookedSpi(chip, (mosi, _) => { if (IsRead(mosi, 0x0020, 0x08) && mosi.Length == 5) freeSizeReads++; });
        // Make the chip's answer to "read Sn_CR, Sn_IR" say TIMEOUT instead of SEND_OK.
        spi._rewrite = (mosi, read, offset) =>
        {
            if (IsRead(mosi, 0x0001, 0x08) && mosi.Length == 5 && read[offset + 4] == 0x10) read[offset + 4] = 0x08;
        };
        var nic = new Atcp.Firmware.Nic.W5500(spi, clock, null, TestFrames.BoardMac);
        Assert.Equal(Atcp.Firmware.Nic.W5500Status.Ok, nic.Initialize());

        var buffer = new byte[3 + 100];
        TestFrames.Fill(buffer, 3, 100, 1, TestFrames.PeerMac, TestFrames.BoardMac);
        Assert.True(nic.Transmit(buffer, 3, 100));
        Assert.True(nic.Transmit(buffer, 3, 100));       // sees TIMEOUT for the first SEND
        Assert.Equal(1, nic.Counters.TxTimeouts);
        Assert.Equal(0, freeSizeReads);
        Assert.True(nic.Transmit(buffer, 3, 100));       // sees TIMEOUT again, then must ask Sn_TX_FSR
        Assert.True(nic.Transmit(buffer, 3, 100));
        Assert.Equal(2, freeSizeReads);                  // read twice, equal: stable
        Assert.Equal(4, sent.Count);
        Assert.Equal(0, chip.Counters.OverlappingSends);
    }
}
