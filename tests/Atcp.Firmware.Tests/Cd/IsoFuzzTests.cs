using Atcp.Firmware.Cd;
using Xunit.Abstractions;

namespace Atcp.Firmware.Tests.Cd;

/// <summary>Random byte mutations of a small real image: every operation must return a status,
/// never throw, and finish within a bounded number of device reads.</summary>
[Collection(CdImageCollection.Name)]
public class IsoFuzzTests(CdImageFixture images, ITestOutputHelper output)
{
    const int Iterations = 3000;
    // Far above what the intact image needs for a mount, a full walk and reading every file.
    const int ReadBudget = 20_000;

    [Fact]
    public void Operations_WhenImageRandomlyMutated_NeverThrowOrRunAway()
    {
        byte[] image = (byte[])images.FuzzImage.Clone();
        List<int> directories = DirectorySectors(image, out List<int> records);
        int terminator = IsoImageProbe.DescriptorSector(image, 255);
        var random = new Random(20240601);
        var device = new MemoryBlockDevice(image);
        var volume = new IsoVolume(device);
        var walker = new IsoTreeWalker(volume);
        var entry = new IsoEntry();
        var lookedUp = new IsoEntry();
        var buffer = new byte[8192];
        var counts = new Dictionary<IsoStatus, int>();
        string[] paths = ["/a.txt", "/b/c/d/deep.bin", "/b/héllo.txt", "/long/a long file name number 07 padded to sixty characters.x", "/b/../empty"];

        for (int iteration = 0; iteration < Iterations; iteration++)
        {
            // Mutate 1..8 bytes, mostly in the descriptors and directories, and undo afterwards.
            int mutations = random.Next(1, 9);
            var saved = new (int Offset, byte Value)[mutations];
            for (int m = 0; m < mutations; m++)
            {
                int offset = random.Next(10) switch
                {
                    0 => random.Next(image.Length),
                    1 or 2 => random.Next(16 * IsoImageProbe.Sector, (terminator + 1) * IsoImageProbe.Sector),
                    3 => directories[random.Next(directories.Count)] * IsoImageProbe.Sector + random.Next(IsoImageProbe.Sector),
                    _ => records[random.Next(records.Count)] + random.Next(34),
                };
                saved[m] = (offset, image[offset]);
                image[offset] = random.Next(3) switch { 0 => 0, 1 => 0xFF, _ => (byte)random.Next(256) };
            }
            device.ReadCalls = 0;

            IsoStatus status = volume.Mount(random.Next(4) != 0);
            Count(counts, status);
            if (status == IsoStatus.Ok)
            {
                Assert.True(volume.GetRoot(entry) == IsoStatus.Ok);
                if (walker.Start(entry) == IsoStatus.Ok)
                {
                    int steps = 0;
                    IsoStatus step;
                    while ((step = walker.Next(entry)) is IsoStatus.Ok or IsoStatus.TooDeep or IsoStatus.DirectoryCycle)
                    {
                        Assert.True(++steps < 5000, "walk runs away at iteration " + iteration);
                        if (entry.IsReadable && entry.Size > 0)
                        {
                            int count = (int)Math.Min(entry.Size, buffer.Length);
                            Count(counts, volume.ReadRange(entry, entry.Size - count, buffer, 0, count));
                        }
                    }
                    Count(counts, step);
                }
                foreach (string path in paths) Count(counts, volume.Lookup(path, lookedUp));
            }
            Assert.True(device.ReadCalls < ReadBudget, "iteration " + iteration + " read " + device.ReadCalls + " times");

            for (int m = mutations - 1; m >= 0; m--) image[saved[m].Offset] = saved[m].Value;
        }

        output.WriteLine(string.Join(", ", counts.OrderBy(kv => kv.Key).Select(kv => kv.Key + "=" + kv.Value)));
        // The mutations reached past the mount into directory parsing, and the intact image still reads.
        Assert.True(counts.GetValueOrDefault(IsoStatus.CorruptDirectory) + counts.GetValueOrDefault(IsoStatus.EndianMismatch) > 500,
            string.Join(", ", counts.Select(kv => kv.Key + "=" + kv.Value)));
        Assert.Equal(IsoStatus.Ok, volume.Mount());
        Assert.Equal(IsoStatus.Ok, volume.Lookup("/b/c/d/deep.bin", lookedUp));
    }

    static void Count(Dictionary<IsoStatus, int> counts, IsoStatus status) =>
        counts[status] = counts.GetValueOrDefault(status) + 1;

    // Every sector holding directory records, in both trees, and every record's offset.
    static List<int> DirectorySectors(byte[] image, out List<int> records)
    {
        var sectors = new List<int>();
        records = new List<int>();
        var pending = new Stack<int>();
        pending.Push(IsoImageProbe.RootRecord(image, joliet: true));
        pending.Push(IsoImageProbe.RootRecord(image, joliet: false));
        var seen = new HashSet<uint>();
        while (pending.Count > 0)
        {
            int dir = pending.Pop();
            uint extent = IsoImageProbe.Extent(image, dir);
            if (!seen.Add(extent)) continue;
            for (uint s = 0; s < (IsoImageProbe.DataLength(image, dir) + 2047) / 2048; s++) sectors.Add((int)(extent + s));
            foreach (int record in IsoImageProbe.Records(image, dir))
            {
                records.Add(record);
                if (image[record + 32] == 1 && image[record + 33] <= 1) continue;
                if ((image[record + 25] & 2) != 0) pending.Push(record);
            }
        }
        return sectors;
    }
}
