using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using Atcp.Firmware.Store;
using Atcp.TestSupport;

namespace Atcp.Firmware.Tests.Store;

/// <summary>FORMAT.md and the code must describe the same bytes: the test vector, and the offsets
/// in the byte tables.</summary>
public class FormatSpecTests
{
    static readonly string Spec = File.ReadAllText(RepoPaths.Under("firmware", "Atcp.Firmware", "Store", "FORMAT.md"));

    static string Section(string heading)
    {
        int start = Spec.IndexOf("## " + heading, StringComparison.Ordinal);
        Assert.True(start >= 0, "FORMAT.md has no section " + heading);
        int end = Spec.IndexOf("\n## ", start + 3, StringComparison.Ordinal);
        return end < 0 ? Spec[start..] : Spec[start..end];
    }

    /// <summary>(offset, field) rows of the first byte table in a section.</summary>
    static List<(int Offset, string Field)> Rows(string section) =>
        Regex.Matches(section, @"^\|\s*(\d+)\s*\|\s*\d+\s*\|\s*(\w+)\s*\|", RegexOptions.Multiline)
            .Select(m => (int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), m.Groups[2].Value)).ToList();

    static int Constant(Type type, string name)
    {
        var field = type.GetField(name, BindingFlags.Public | BindingFlags.Static);
        Assert.True(field != null, type.Name + " has no constant " + name);
        return (int)field!.GetValue(null)!;
    }

    static string Pascal(string field) => char.ToUpperInvariant(field[0]) + field[1..];

    [Fact]
    public void SuperblockVector_MatchesAFreshlyFormattedCard()
    {
        var match = Regex.Match(Spec, "```hex superblock-vector\n(.*?)```", RegexOptions.Singleline);
        Assert.True(match.Success, "FORMAT.md has no superblock-vector block");
        var expected = new byte[512];
        foreach (var line in match.Groups[1].Value.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split(':');
            int offset = int.Parse(parts[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            var bytes = parts[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            for (int i = 0; i < bytes.Length; i++) expected[offset + i] = byte.Parse(bytes[i], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        }
        var device = new RamBlockDevice(65536);
        Assert.Equal(StoreStatus.Ok, ObjectStore.Format(device, "atcp-example", 292));
        Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(device.Block(0)));
        Assert.All(device.Block(1), b => Assert.Equal(0, b));
        var store = new ObjectStore(device);
        Assert.Equal(StoreStatus.Ok, store.Mount());
        Assert.Equal((1, 64, 17, 136L, 176L, 65360), (store.Layout.UnitBlocks, store.Layout.BucketCount, store.Layout.BitmapBlocks, store.Layout.BitmapStart, store.Layout.DataStart, store.Layout.UnitCount));
    }

    [Fact]
    public void BucketPrefix_InTheSpec_MatchesBucketZero()
    {
        var match = Regex.Match(Spec, @"Bucket 0 \(block 8\) starts\s+`([0-9a-f ]+)`");
        Assert.True(match.Success);
        var device = new RamBlockDevice(65536);
        Assert.Equal(StoreStatus.Ok, ObjectStore.Format(device, "atcp-example", 292));
        var expected = match.Groups[1].Value.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
        Assert.Equal(expected, Convert.ToHexString(device.Block(8))[..expected.Length]);
    }

    [Fact]
    public void HeaderTable_MatchesMetadataBlockOffsets()
    {
        var rows = Rows(Section("2."));
        Assert.Equal(6, rows.Count);
        foreach (var (offset, field) in rows) Assert.Equal(Constant(typeof(MetadataBlock), Pascal(field) + "Offset"), offset);
    }

    [Fact]
    public void SuperblockTable_MatchesSuperblockOffsets()
    {
        var rows = Rows(Section("3.")).Where(r => r.Field != "header").ToList();
        Assert.Equal(16, rows.Count);
        foreach (var (offset, field) in rows) Assert.Equal(Constant(typeof(Superblock), Pascal(field) + "Offset"), offset);
    }

    [Fact]
    public void ObjectBlockTable_MatchesObjectBlockOffsets()
    {
        var aliases = new Dictionary<string, string> { ["typeLength"] = "ContentTypeLength", ["contentType"] = "Name", ["reserved"] = "" };
        var rows = Rows(Section("6.")).Where(r => r.Field != "header").ToList();
        Assert.True(rows.Count >= 10);
        foreach (var (offset, field) in rows)
        {
            var name = aliases.TryGetValue(field, out var alias) ? alias : Pascal(field);
            if (name == "") continue;
            if (field == "contentType") continue; // follows the name: offset 128 + n
            Assert.Equal(Constant(typeof(ObjectBlock), name + "Offset"), offset);
        }
    }

    [Fact]
    public void Limits_InTheSpec_MatchTheCode()
    {
        Assert.Equal(61, DirectoryBucket.EntryCount);
        Assert.Equal(3904, StoreLayout.UnitsPerBitmapBlock);
        Assert.Equal(3072, Superblock.SelectorsLength * 8);
        Assert.Equal(StoreLayout.MaxBuckets + StoreLayout.MaxBitmapBlocks, Superblock.SelectorsLength * 8);
        Assert.Equal(255, StoreObject.MaxNameLength);
        Assert.Equal(120, StoreObject.MaxContentTypeLength);
        Assert.Equal(8, StoreObject.MaxExtents);
        Assert.Contains("B x 61 entries (B <= 1024: 62,464)", Spec);
        Assert.Contains("2048 x 3904 = 7,995,392", Spec);
        Assert.Equal(7_995_392, StoreLayout.MaxBitmapBlocks * StoreLayout.UnitsPerBitmapBlock);
        Assert.Equal(128 + 255 + 120, ObjectBlock.NameOffset + StoreObject.MaxNameLength + StoreObject.MaxContentTypeLength);
        Assert.True(ObjectBlock.NameOffset + StoreObject.MaxNameLength + StoreObject.MaxContentTypeLength <= 512);
    }
}
