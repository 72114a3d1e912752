using Atcp.Emulation.SdCard;
using Atcp.Firmware.Hal;

namespace Atcp.Firmware.Tests.Disk;

/// <summary>The model's power-cut hook, as a crash-safe store will use it: cutting power before the
/// n-th block commit keeps exactly the blocks committed before it, and the driver reports the loss.</summary>
public class SdCardPowerCutTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(7)]
    public void MultiBlockWrite_PowerCutBeforeCommitN_KeepsExactlyTheBlocksBeforeIt(int cut)
    {
        var rig = SdRig.Create();
        var old = rig.Card.ReadImageBlocks(100, 8);
        var data = SdRig.RandomImage(8, seed: 30);
        rig.Card.BeforeCommit = c => c.Ordinal == cut;

        Assert.Equal(BlockStatus.NoCard, rig.Driver.Write(100, 8, data, 0));
        Assert.False(rig.Card.IsPowered);
        Assert.False(rig.Driver.IsInitialized);
        var after = rig.Card.ReadImageBlocks(100, 8);
        Assert.Equal(data.AsSpan(0, cut * 512).ToArray(), after.AsSpan(0, cut * 512).ToArray());
        Assert.Equal(old.AsSpan(cut * 512).ToArray(), after.AsSpan(cut * 512).ToArray());

        // Unpowered: everything fails until power returns and the card is initialised again.
        Assert.Equal(BlockStatus.NoCard, rig.Driver.Read(100, 1, new byte[512], 0));
        rig.Card.BeforeCommit = null;
        rig.Card.PowerOn();
        Assert.Equal(BlockStatus.Ok, rig.Driver.Initialize());
        var back = new byte[8 * 512];
        Assert.Equal(BlockStatus.Ok, rig.Driver.Read(100, 8, back, 0));
        Assert.Equal(after, back);
    }

    [Fact]
    public void Workload_PowerCutAtEveryBlockWrite_LosesExactlyTheBlocksFromTheCutOn()
    {
        // A mixed workload of single and multiple block writes; for every k, cutting power before
        // the k-th block commit must leave the image of the first k block writes, in order.
        (long Block, int Count)[] writes = [(10, 1), (20, 3), (10, 2), (500, 1), (21, 5), (4095, 1)];
        int total = writes.Sum(w => w.Count);
        var baseImage = SdRig.RandomImage(4096);
        for (int cut = 0; cut <= total; cut++)
        {
            var image = (byte[])baseImage.Clone();
            var rig = SdRig.Create(image: SdImage.FromBytes(image));
            var expected = (byte[])baseImage.Clone();
            rig.Card.BeforeCommit = c => c.Ordinal == cut;
            int committed = 0;
            int seed = 0;
            foreach (var (block, count) in writes)
            {
                var data = SdRig.RandomImage(count, seed: ++seed);
                var status = rig.Driver.Write(block, count, data, 0);
                bool cutInThisWrite = committed + count > cut;
                for (int i = 0; i < count && committed < cut; i++, committed++)
                {
                    Array.Copy(data, i * 512, expected, (block + i) * 512, 512);
                }
                Assert.Equal(cutInThisWrite ? BlockStatus.NoCard : BlockStatus.Ok, status);
                if (cutInThisWrite) break;
            }
            Assert.Equal(expected, image);
        }
    }

    [Fact]
    public void SingleBlockWrite_PowerCut_ReturnsNoCardAndLeavesTheOldBlock()
    {
        var rig = SdRig.Create(cardDetect: false);
        var old = rig.Card.ReadImageBlocks(9, 1);
        rig.Card.BeforeCommit = _ => true;
        Assert.Equal(BlockStatus.NoCard, rig.Driver.Write(9, 1, new byte[512], 0));
        Assert.Equal(old, rig.Card.ReadImageBlocks(9, 1));
        Assert.Equal(1, rig.Driver.Statistics.CardLost);
    }
}
