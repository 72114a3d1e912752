using Atcp.Firmware.Store;

namespace Atcp.Tools.Tests.SdImage;

public class VerifyCorruptionTests
{
    static (TempFolder Folder, string Image) Build()
    {
        var folder = new TempFolder();
        var random = new Random(3);
        foreach (var name in new[] { "a.bin", "b/victim.mp4", "c.txt" })
        {
            var bytes = new byte[50_000];
            random.NextBytes(bytes);
            folder.Write(Path.Combine("src", name), bytes);
        }
        string image = folder.PathOf("card.img");
        SdImageHarness.RunOk("build", "--out", image, folder.PathOf("src"));
        return (folder, image);
    }

    /// <summary>Byte offset in the image file of payload byte offset of the object.</summary>
    static long PayloadPosition(string image, string name, long offset)
    {
        using var mounted = SdImageHarness.Mount(image);
        var o = mounted.Get(name);
        long block = o.PhysicalBlock(mounted.Store.Layout, 1 + offset / StoreLayout.BlockSize, out _);
        return block * StoreLayout.BlockSize + offset % StoreLayout.BlockSize;
    }

    static void Flip(string image, long position, int count)
    {
        using var file = new FileStream(image, FileMode.Open, FileAccess.ReadWrite);
        var bytes = new byte[count];
        file.Position = position;
        file.ReadExactly(bytes);
        for (int i = 0; i < count; i++) bytes[i] ^= 0x5A;
        file.Position = position;
        file.Write(bytes);
    }

    [Fact]
    public void Verify_FlippedPayloadBytes_FailsNamingTheObject()
    {
        var (folder, image) = Build();
        using (folder)
        {
            Flip(image, PayloadPosition(image, "b/victim.mp4", 20_000), 3);
            var run = SdImageHarness.Run("verify", image);
            Assert.Equal(1, run.ExitCode);
            Assert.Contains("FAIL b/victim.mp4: payload does not match its CRC-32C", run.Out);
            Assert.DoesNotContain("a.bin", run.Out);
            Assert.DoesNotContain("c.txt", run.Out);
            Assert.Contains("1 damaged", run.Out);
        }
    }

    [Fact]
    public void Verify_SwappedWordsKeepTheCrcWrong_AndTheSumsRight_StillFails()
    {
        // Swapping two aligned 16-bit words leaves every RFC 1071 chunk sum unchanged; the CRC-32C catches it.
        var (folder, image) = Build();
        using (folder)
        {
            long at = PayloadPosition(image, "a.bin", 100);
            using (var file = new FileStream(image, FileMode.Open, FileAccess.ReadWrite))
            {
                var four = new byte[4];
                file.Position = at;
                file.ReadExactly(four);
                if (four[0] == four[2] && four[1] == four[3]) four[0] ^= 1; // make the swap a change
                file.Position = at;
                file.Write([four[2], four[3], four[0], four[1]]);
            }
            var run = SdImageHarness.Run("verify", image);
            Assert.Equal(1, run.ExitCode);
            Assert.Contains("FAIL a.bin:", run.Out);
        }
    }

    [Fact]
    public void Verify_DamagedDirectory_FailsTheMetadataCheck()
    {
        var (folder, image) = Build();
        using (folder)
        {
            long bucket;
            using (var mounted = SdImageHarness.Mount(image))
            {
                bucket = mounted.Store.Layout.BucketBlock(0, 0);
            }
            // Both copies of bucket 0, so the current one is hit whichever it is; offset 4 is the block's CRC.
            Flip(image, bucket * StoreLayout.BlockSize + 4, 2);
            Flip(image, (bucket + 1) * StoreLayout.BlockSize + 4, 2);
            var run = SdImageHarness.Run("verify", image);
            Assert.Equal(1, run.ExitCode);
            Assert.Contains("FAIL", run.Out);
        }
    }

    [Fact]
    public void Verify_NotAnImage_SaysItIsNotFormatted()
    {
        using var folder = new TempFolder();
        string image = folder.Write("zero.img", new byte[1 << 20]);
        var run = SdImageHarness.Run("verify", image);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("card not formatted for the object store", run.Error);
    }
}
