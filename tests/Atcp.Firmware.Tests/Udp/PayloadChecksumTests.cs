using Atcp.Firmware.Tcp;
using Atcp.Firmware.Tests.Tcp;
using Atcp.Firmware.Udp;
using Atcp.Wire;

namespace Atcp.Firmware.Tests.Udp;

public class PayloadChecksum_Sums
{
    [Theory]
    [InlineData(292)]
    [InlineData(128)]
    [InlineData(33)]  // odd chunk size: stored sums at odd positions get swapped
    [InlineData(0)]   // no stored sums
    public void AnyRange_EqualsTheSumOfItsBytes(int chunk)
    {
        var data = new byte[20_000];
        new Random(chunk).NextBytes(data);
        var source = new MemoryPayloadSource(data, chunk);
        var checksum = new PayloadChecksum();
        var random = new Random(1071);
        for (int i = 0; i < 2000; i++)
        {
            int offset = random.Next(data.Length);
            int count = random.Next(data.Length - offset + 1);
            if (i % 10 == 0) count = data.Length - offset; // ranges that end at the object's end
            Assert.Equal(InternetChecksum.Sum(data, offset, count), checksum.Sum(source, offset, count, data, offset));
        }
        Assert.True(chunk == 0 ? checksum.BytesSummedFromStore == 0 : checksum.BytesSummedFromStore > 0);
    }

    [Fact]
    public void AlignedRange_ComesFromTheStoreOnly()
    {
        var data = new byte[3000];
        new Random(3).NextBytes(data);
        var checksum = new PayloadChecksum();
        checksum.Sum(new MemoryPayloadSource(data, 292), 584, 1460, data, 584);
        checksum.Sum(new MemoryPayloadSource(data, 292), 2920, 80, data, 2920); // ends at the object's end
        Assert.Equal((0L, 1540L), (checksum.BytesSummedInManagedCode, checksum.BytesSummedFromStore));
        checksum.ResetCounters();
        Assert.Equal((0L, 0L), (checksum.BytesSummedInManagedCode, checksum.BytesSummedFromStore));
    }

    [Fact]
    public void UnalignedRange_SumsOnlyItsEdgesInManagedCode()
    {
        var data = new byte[3000];
        var checksum = new PayloadChecksum();
        checksum.Sum(new MemoryPayloadSource(data, 292), 100, 1000, data, 100); // head 192, chunks 584..876, tail 224
        Assert.Equal((192L + 224L, 584L), (checksum.BytesSummedInManagedCode, checksum.BytesSummedFromStore));
    }

    [Fact]
    public void EmptyRange_IsZero()
    {
        var data = new byte[10];
        Assert.Equal(0, new PayloadChecksum().Sum(new MemoryPayloadSource(data, 4), 10, 0, data, 10));
    }
}
