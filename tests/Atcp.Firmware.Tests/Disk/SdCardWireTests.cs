using Atcp.Emulation.SdCard;
using Atcp.Firmware.Disk.Sd;
using Atcp.Firmware.Hal;

namespace Atcp.Firmware.Tests.Disk;

/// <summary>The exact bytes on the wire, in specification order (SD Physical Layer Simplified
/// Specification v4.10, chapter 7), with the model answering after NCR = 1 and NAC = 1 byte.
/// MOSI and MISO are compared per chip-select period, so how the driver splits a period into
/// transactions does not matter, only what is clocked.</summary>
public class SdCardWireTests
{
    static byte[] Hex(string text) => Convert.FromHexString(text.Replace(" ", ""));

    static string Ff(int count) => string.Concat(Enumerable.Repeat("FF", count));

    static string ToHex(ReadOnlySpan<byte> bytes) => Convert.ToHexString(bytes);

    // One exchange: what the host clocks out and what the card answers at the same positions.
    sealed class Expected
    {
        readonly List<byte> _mosi = new();
        readonly List<byte> _miso = new();

        public Expected Add(string mosi, string miso)
        {
            var o = Hex(mosi);
            var i = Hex(miso);
            Assert.Equal(o.Length, i.Length);
            _mosi.AddRange(o);
            _miso.AddRange(i);
            return this;
        }

        public Expected Add(byte[] mosi, byte[] miso)
        {
            _mosi.AddRange(mosi);
            _miso.AddRange(miso);
            return this;
        }

        public void AssertEqual(SpiSegment segment)
        {
            Assert.Equal(ToHex(_mosi.ToArray()), ToHex(segment.Mosi));
            Assert.Equal(ToHex(_miso.ToArray()), ToHex(segment.Miso));
        }
    }

    static byte[] WithCrc16(byte[] data)
    {
        int crc = SdCrc.Crc16(data, 0, data.Length, 0);
        return [.. data, (byte)(crc >> 8), (byte)crc];
    }

    [Fact]
    public void Initialize_Sdhc_ClocksThePowerUpThenCmd0Cmd8Cmd59Acmd41Cmd58Cmd9Cmd10()
    {
        var rig = SdRig.Create(SdCardKind.HighCapacity, initialize: false, configureCard: c => c.InitPollsUntilReady = 2);
        Assert.Equal(BlockStatus.Ok, rig.Driver.Initialize());
        var segments = rig.Recorder.Segments();
        Assert.Equal(3, segments.Count);

        // §6.4.1.1: at least 74 clocks with CS high.
        Assert.False(segments[0].Selected);
        Assert.Equal(Ff(10), ToHex(segments[0].Mosi));

        var csd = WithCrc16(rig.Card.Csd);
        var cid = WithCrc16(rig.Card.Cid);
        new Expected()
            // CMD0 (§7.2.2: 40 00 00 00 00 95) -> R1 in idle state after NCR.
            .Add("400000000095 FFFF", Ff(7) + "01")
            // CMD8, VHS 1, pattern AA (§4.3.13) -> R7: R1, version/reserved, voltage accepted, echo.
            .Add("48000001AA87 FFFFFFFFFFFF", Ff(7) + "01 000001AA")
            // CMD59 CRC on, before ACMD41 (§7.2.2).
            .Add("7B0000000183 FFFF", Ff(7) + "01")
            // CMD55 + ACMD41 with HCS, until R1 leaves idle (§7.2.1).
            .Add("770000000065 FFFF", Ff(7) + "01")
            .Add("694000000077 FFFF", Ff(7) + "01")
            .Add("770000000065 FFFF", Ff(7) + "01")
            .Add("694000000077 FFFF", Ff(7) + "00")
            // CMD58 -> R3: OCR with power up status and CCS set, 2.7-3.6 V.
            .Add("7A00000000FD FFFFFFFFFFFF", Ff(7) + "00 C0FF8000")
            // CMD9 -> R1, then after NCR the Start Block token, 16 bytes of CSD, CRC16.
            .Add("4900000000AF FFFF", Ff(7) + "00")
            .Add(Hex(Ff(1 + 1 + 18)), [0xFF, 0xFE, .. csd])
            // CMD10 -> the CID the same way.
            .Add("4A000000001B FFFF", Ff(7) + "00")
            .Add(Hex(Ff(1 + 1 + 18)), [0xFF, 0xFE, .. cid])
            .AssertEqual(segments[1]);

        // One byte after CS high lets the card release MISO.
        Assert.False(segments[2].Selected);
        Assert.Equal("FF", ToHex(segments[2].Mosi));
    }

    [Theory]
    [InlineData(SdCardKind.HighCapacity, "51 00 00 00 05 0F")]
    [InlineData(SdCardKind.Sdsc, "51 00 00 0A 00 C9")]
    public void ReadSingleBlock_SendsCmd17WithTheCardsAddressingAndReceivesTokenDataCrc(SdCardKind kind, string frame)
    {
        var rig = SdRig.Create(kind);
        rig.Recorder.Clear();
        var buffer = new byte[512];
        Assert.Equal(BlockStatus.Ok, rig.Driver.Read(5, 1, buffer, 0));
        var block = rig.Image.AsSpan(5 * 512, 512).ToArray();
        Assert.Equal(block, buffer);

        var segments = rig.Recorder.Segments();
        Assert.Equal(2, segments.Count);
        new Expected()
            // CMD17 (block 5: SDHC addresses blocks, SDSC bytes 0xA00) -> R1 00.
            .Add(frame + "FFFF", Ff(7) + "00")
            // NAC, Start Block token FE (§7.3.3.2), 512 bytes, CRC16.
            .Add(Hex(Ff(1 + 1 + 514)), [0xFF, 0xFE, .. WithCrc16(block)])
            .AssertEqual(segments[0]);
        Assert.Equal("FF", ToHex(segments[1].Mosi));
    }

    [Fact]
    public void WriteSingleBlock_SendsCmd24TokenDataCrcThenReadsDataResponseAndBusy()
    {
        var rig = SdRig.Create(SdCardKind.HighCapacity, configureCard: c => c.WriteBusyBytes = 5);
        rig.Recorder.Clear();
        var data = SdRig.RandomImage(1, seed: 99);
        Assert.Equal(BlockStatus.Ok, rig.Driver.Write(7, 1, data, 0));
        Assert.Equal(data, rig.Card.ReadImageBlocks(7, 1));

        var segments = rig.Recorder.Segments();
        Assert.Equal(2, segments.Count);
        new Expected()
            // CMD24 block 7 -> R1 00.
            .Add("580000000711 FFFF", Ff(7) + "00")
            // NWR gap, Start Block token FE, the data, CRC16 (§7.3.3.2).
            .Add(Hex("FFFE"), Hex("FFFF"))
            .Add(WithCrc16(data), Hex(Ff(514)))
            // Data response 'xxx00101' = accepted (§7.3.3.1), then busy (00) until FF.
            .Add(Ff(4), "E5000000")
            .Add(Ff(4), "0000FFFF")
            .AssertEqual(segments[0]);
        Assert.Equal("FF", ToHex(segments[1].Mosi));
    }

    [Fact]
    public void ReadMultipleBlocks_SendsCmd18ThenCmd12AfterTheLastBlockAndSkipsTheStuffByte()
    {
        var rig = SdRig.Create(SdCardKind.HighCapacity, configureCard: c => c.StopBusyBytes = 3);
        rig.Recorder.Clear();
        var buffer = new byte[1024];
        Assert.Equal(BlockStatus.Ok, rig.Driver.Read(0, 2, buffer, 0));
        var b0 = rig.Image.AsSpan(0, 512).ToArray();
        var b1 = rig.Image.AsSpan(512, 512).ToArray();
        var b2 = rig.Image.AsSpan(1024, 512).ToArray();
        var segments = rig.Recorder.Segments();
        Assert.Equal(2, segments.Count);
        new Expected()
            // CMD18 block 0 -> R1 00, then per block NAC, token FE, data, CRC16 (§7.2.3).
            .Add("5200000000E1 FFFF", Ff(7) + "00")
            .Add(Hex(Ff(516)), [0xFF, 0xFE, .. WithCrc16(b0)])
            .Add(Hex(Ff(516)), [0xFF, 0xFE, .. WithCrc16(b1)])
            // CMD12 right after the last CRC: meanwhile the card has started block 2 (NAC, token, data).
            .Add(Hex("4C0000000061"), [0xFF, 0xFE, b2[0], b2[1], b2[2], b2[3]])
            // One stuff byte of that stream, R1 00 after NCR, then R1b busy until FF (§7.5.2).
            .Add(Hex(Ff(3)), [b2[4], 0x00, 0x00])
            .Add(Ff(4), "0000FFFF")
            .AssertEqual(segments[0]);
        Assert.Equal("FF", ToHex(segments[1].Mosi));
    }
}
