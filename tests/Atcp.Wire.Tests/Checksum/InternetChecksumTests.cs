using Atcp.Wire;

namespace Atcp.Wire.Tests.Checksum;

/// <summary>The Internet checksum primitives against RFC 1071 and RFC 1624, and against a plain
/// reference sum written here independently.</summary>
public class InternetChecksumTests
{
    // Reference: add 16-bit big-endian words in a 64-bit accumulator, fold at the end.
    static ushort ReferenceSum(byte[] data)
    {
        ulong sum = 0;
        for (int i = 0; i < data.Length; i += 2)
            sum += (ulong)((data[i] << 8) | (i + 1 < data.Length ? data[i + 1] : 0));
        while ((sum >> 16) != 0) sum = (sum & 0xFFFF) + (sum >> 16);
        return (ushort)sum;
    }

    [Fact]
    public void Sum_OfRfc1071Example_IsDdf2()
    {
        // RFC 1071 section 3: bytes 00 01 f2 03 f4 f5 f6 f7 sum to 0xddf2 (checksum 0x220d).
        byte[] data = [0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7];
        Assert.Equal(0xddf2, InternetChecksum.Sum(data, 0, data.Length));
        Assert.Equal(0x220d, InternetChecksum.Finish(InternetChecksum.Accumulate(0, data, 0, data.Length)));
    }

    [Fact]
    public void Sum_OfOddLength_PadsLastByteWithZero()
    {
        byte[] odd = [0x12, 0x34, 0x56];
        byte[] padded = [0x12, 0x34, 0x56, 0x00];
        Assert.Equal(InternetChecksum.Sum(padded, 0, 4), InternetChecksum.Sum(odd, 0, 3));
        Assert.Equal(0x6834, InternetChecksum.Sum(odd, 0, 3));
    }

    [Fact]
    public void Sum_OfSliceAtOffset_IgnoresBytesOutside()
    {
        byte[] data = [0xFF, 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7, 0xFF];
        Assert.Equal(0xddf2, InternetChecksum.Sum(data, 1, 8));
    }

    [Fact]
    public void Sum_OfEmptyBlock_IsZero()
    {
        Assert.Equal(0, InternetChecksum.Sum([1, 2], 1, 0));
    }

    [Fact]
    public void Accumulate_OfManyMaximalWords_DoesNotOverflow()
    {
        var data = new byte[200_000];
        Array.Fill(data, (byte)0xFF);
        Assert.Equal(0xFFFF, InternetChecksum.Sum(data, 0, data.Length));
        var random = new Random(7);
        random.NextBytes(data);
        Assert.Equal(ReferenceSum(data), InternetChecksum.Sum(data, 0, data.Length));
    }

    [Fact]
    public void Sum_OfRandomData_MatchesReference()
    {
        var random = new Random(1);
        for (int n = 0; n < 500; n++)
        {
            var data = new byte[random.Next(0, 300)];
            random.NextBytes(data);
            Assert.Equal(ReferenceSum(data), InternetChecksum.Sum(data, 0, data.Length));
        }
    }

    [Fact]
    public void CombineAt_OfBlocksAtOddAndEvenPositions_EqualsWholeSum()
    {
        var random = new Random(2);
        for (int n = 0; n < 300; n++)
        {
            var data = new byte[random.Next(1, 400)];
            random.NextBytes(data);
            ushort total = 0;
            int pos = 0;
            while (pos < data.Length)
            {
                int size = Math.Min(random.Next(1, 40), data.Length - pos);
                total = InternetChecksum.CombineAt(total, InternetChecksum.Sum(data, pos, size), pos);
                pos += size;
            }
            Assert.Equal(InternetChecksum.Sum(data, 0, data.Length), total);
        }
    }

    [Fact]
    public void Combine_IsOnesComplementAddition()
    {
        Assert.Equal(0x0002, InternetChecksum.Combine(0x8000, 0x8001)); // end-around carry
        Assert.Equal(0x0002, InternetChecksum.Combine(0xFFFF, 0x0002)); // 0xFFFF is negative zero
        Assert.Equal(0x3333, InternetChecksum.Combine(0x1111, 0x2222));
        Assert.Equal(0xFFFF, InternetChecksum.Combine(0xFFFF, 0x0000));
    }

    [Fact]
    public void Swap_ExchangesBytes()
    {
        Assert.Equal(0x3412, InternetChecksum.Swap(0x1234));
    }

    [Fact]
    public void Update_OfRfc1624Example_GivesZeroNotFfff()
    {
        // RFC 1624 section 4: HC 0xDD2F, m 0x5555 -> 0x3285; recomputation gives 0x0000, and
        // equation 3 must too (equation 2 would give the wrong 0xFFFF).
        Assert.Equal(0x0000, InternetChecksum.Update(0xDD2F, 0x5555, 0x3285));
    }

    [Fact]
    public void Update_OfRandomWordChange_EqualsRecomputation()
    {
        var random = new Random(3);
        for (int n = 0; n < 2000; n++)
        {
            // An IPv4-like header: the first word is never zero, as RFC 1624 assumes (all-zero data
            // is the one case where 0x0000 and 0xFFFF both verify).
            var header = new byte[20];
            random.NextBytes(header);
            header[0] = 0x45;
            header[10] = header[11] = 0;
            ushort checksum = InternetChecksum.Finish(InternetChecksum.Accumulate(0, header, 0, 20));
            int word = 2 * random.Next(1, 10);
            if (word == 10) word = 12;
            ushort oldWord = NetworkOrder.ReadUInt16(header, word);
            ushort newWord = (ushort)random.Next(0, 0x10000);
            if (n % 10 == 0) newWord = (ushort)(n % 20 == 0 ? 0x0000 : 0xFFFF);
            NetworkOrder.WriteUInt16(header, word, newWord);
            ushort recomputed = InternetChecksum.Finish(InternetChecksum.Accumulate(0, header, 0, 20));
            Assert.Equal(recomputed, InternetChecksum.Update(checksum, oldWord, newWord));
        }
    }

    [Fact]
    public void Update_WhenSumBecomesNegativeZero_MatchesRecomputation()
    {
        // Choose the changed word so that the new sum is exactly 0xFFFF: the checksum must be 0x0000.
        var header = new byte[20];
        header[0] = 0x45;
        header[1] = 0x00;
        ushort rest = InternetChecksum.Sum(header, 0, 20); // word at offset 4 still zero
        ushort newWord = (ushort)~rest;
        ushort checksum = InternetChecksum.Finish(InternetChecksum.Accumulate(0, header, 0, 20));
        NetworkOrder.WriteUInt16(header, 4, newWord);
        Assert.Equal(0xFFFF, InternetChecksum.Sum(header, 0, 20));
        Assert.Equal(0x0000, InternetChecksum.Update(checksum, 0, newWord));
    }

    [Fact]
    public void PseudoHeaderSum_MatchesSumOfPseudoHeaderBytes()
    {
        // RFC 9293 section 3.1: source, destination, zero, protocol, TCP length.
        byte[] pseudo = [198, 18, 0, 1, 198, 18, 0, 2, 0, 6, 0x05, 0xDC];
        Assert.Equal(InternetChecksum.Sum(pseudo, 0, pseudo.Length),
            InternetChecksum.PseudoHeaderSum(0xC6120001, 0xC6120002, 6, 1500));
    }
}
