using System.Text;
using Atcp.Firmware.Alu;

namespace Atcp.Firmware.Tests.Alu;

/// <summary>CRC-32C against RFC 3720 appendix B.4 and the "123456789" check value.</summary>
public class Crc32CTests
{
    [Fact]
    public void Compute_ThirtyTwoZeros_MatchesRfc3720() =>
        Assert.Equal(0x8A9136AAu, Crc32C.Compute(new byte[32], 0, 32));

    [Fact]
    public void Compute_ThirtyTwoOnes_MatchesRfc3720() =>
        Assert.Equal(0x62A8AB43u, Crc32C.Compute(Enumerable.Repeat((byte)0xFF, 32).ToArray(), 0, 32));

    [Fact]
    public void Compute_AscendingBytes_MatchesRfc3720() =>
        Assert.Equal(0x46DD794Eu, Crc32C.Compute(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray(), 0, 32));

    [Fact]
    public void Compute_CheckString_MatchesCatalogue() =>
        Assert.Equal(0xE3069283u, Crc32C.Compute(Encoding.ASCII.GetBytes("123456789"), 0, 9));

    [Fact]
    public void Compute_NoBytes_IsZero() => Assert.Equal(0u, Crc32C.Compute([], 0, 0));

    [Fact]
    public void Compute_HonoursOffset()
    {
        var padded = new byte[] { 0xAA, 0xBB }.Concat(Encoding.ASCII.GetBytes("123456789")).Append((byte)0xCC).ToArray();
        Assert.Equal(0xE3069283u, Crc32C.Compute(padded, 2, 9));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(500)]
    [InlineData(1023)]
    public void Append_InPieces_EqualsOneShot(int split)
    {
        var data = new byte[1024];
        new Random(split).NextBytes(data);
        var pieces = Crc32C.Append(Crc32C.Compute(data, 0, split), data, split, data.Length - split);
        Assert.Equal(Crc32C.Compute(data, 0, data.Length), pieces);
    }

    [Fact]
    public void Append_ByteByByte_EqualsOneShot()
    {
        var data = Encoding.ASCII.GetBytes("123456789");
        uint crc = 0;
        for (int i = 0; i < data.Length; i++) crc = Crc32C.Append(crc, data, i, 1);
        Assert.Equal(0xE3069283u, crc);
    }
}
