using System.Diagnostics;
using System.Text;

namespace Atcp.Firmware.Tests.Cd;

/// <summary>How a test image was made.</summary>
public enum ImageKind
{
    /// <summary>xorriso -as mkisofs -J -joliet-long (Rock Ridge too: xorriso's default).</summary>
    XorrisoJoliet,
    /// <summary>genisoimage -J.</summary>
    GenisoimageJoliet,
    /// <summary>xorriso -as mkisofs without Joliet: primary level-1 names only.</summary>
    XorrisoPrimary,
    /// <summary>genisoimage without Joliet or Rock Ridge, with hidden.txt flagged hidden.</summary>
    GenisoimagePrimary,
}

/// <summary>Builds, once per test run, a source tree and ISO images of it with the real tools,
/// so the reader is checked against what people will actually write to the CD card.</summary>
public sealed class CdImageFixture : IDisposable
{
    /// <summary>Name of the large file grafted at the root of the full images.</summary>
    public const string BigName = "big.bin";
    /// <summary>20 MiB and a tail that does not fill a sector.</summary>
    public const int BigLength = 20 * 1024 * 1024 + 777;
    /// <summary>Files in many/: enough for its directory to span several sectors.</summary>
    public const int ManyCount = 300;
    /// <summary>A 64-character Joliet name (the Joliet limit without -joliet-long).</summary>
    public static readonly string LongName = "a-file-name-of-exactly-sixty-four-characters-for-joliet-tests.md";
    /// <summary>Names outside ASCII, all in the Basic Multilingual Plane.</summary>
    public static readonly string[] UnicodeNames = ["héllo wörld.txt", "日本語のファイル.txt", "Ελληνικά αρχεία.txt"];
    /// <summary>Names with characters beyond U+FFFF (surrogate pairs in UTF-16).</summary>
    public static readonly string[] AstralNames = ["😀 smile.txt", "clef 𝄞 music.txt"];

    readonly Dictionary<ImageKind, string> fullImages = new();
    readonly Dictionary<ImageKind, byte[]> smallImages = new();

    public CdImageFixture()
    {
        WorkDir = Path.Combine(Path.GetTempPath(), "atcp-cd-" + Environment.ProcessId + "-" + Guid.NewGuid().ToString("N")[..8]);
        SourceDir = Path.Combine(WorkDir, "src");
        BigPath = Path.Combine(WorkDir, BigName);
        Directory.CreateDirectory(SourceDir);
        try
        {
            BuildSourceTree();
            WriteBigFile(BigPath);
            foreach (ImageKind kind in Enum.GetValues<ImageKind>())
            {
                string full = Path.Combine(WorkDir, kind + "-full.iso");
                MakeImage(kind, full, withBig: true);
                fullImages[kind] = full;
                string small = Path.Combine(WorkDir, kind + "-small.iso");
                MakeImage(kind, small, withBig: false);
                smallImages[kind] = File.ReadAllBytes(small);
            }
            FuzzImage = MakeFuzzImage();
            AstralImage = MakeAstralImage();
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public string WorkDir { get; }
    public string SourceDir { get; }
    public string BigPath { get; }

    /// <summary>Relative paths ('/'-separated) of every file in the source tree (without big.bin).</summary>
    public List<string> SourceFiles { get; } = new();

    /// <summary>A small Joliet image (a few dozen sectors of metadata) for the fuzz test.</summary>
    public byte[] FuzzImage { get; }

    /// <summary>A Joliet image written with -joliet-utf16 holding <see cref="AstralNames"/>.</summary>
    public byte[] AstralImage { get; }

    /// <summary>Path of the image with the large file.</summary>
    public string FullImage(ImageKind kind) => fullImages[kind];

    /// <summary>A fresh copy of the image without the large file, to mutate.</summary>
    public byte[] SmallImage(ImageKind kind) => (byte[])smallImages[kind].Clone();

    /// <summary>The source file's bytes (big.bin included).</summary>
    public byte[] SourceBytes(string relative) =>
        File.ReadAllBytes(relative == BigName ? BigPath : Path.Combine(SourceDir, relative));

    /// <summary>True for Joliet images.</summary>
    public static bool IsJoliet(ImageKind kind) => kind is ImageKind.XorrisoJoliet or ImageKind.GenisoimageJoliet;

    /// <summary>True when every component fits ISO level 1 (8.3, lower-case letters, digits, '_'),
    /// so the primary tree holds it under the same name in upper case.</summary>
    public static bool FitsLevel1(string relative)
    {
        string[] parts = relative.Split('/');
        for (int i = 0; i < parts.Length; i++)
        {
            string p = parts[i];
            int dot = p.IndexOf('.');
            string stem = dot < 0 ? p : p[..dot];
            string ext = dot < 0 ? "" : p[(dot + 1)..];
            bool isFile = i == parts.Length - 1;
            if (stem.Length is 0 or > 8 || ext.Length > 3 || (!isFile && dot >= 0) || ext.Contains('.')) return false;
            if (!(stem + ext).All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_')) return false;
        }
        return true;
    }

    /// <summary>Deterministic pseudo-random bytes (xorshift32), so contents are reproducible.</summary>
    public static byte[] Pattern(int seed, int length)
    {
        var bytes = new byte[length];
        uint x = (uint)seed * 2654435761u | 1;
        for (int i = 0; i < length; i++)
        {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            bytes[i] = (byte)x;
        }
        return bytes;
    }

    void BuildSourceTree()
    {
        Add("readme.txt", Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("Hello from the ATCP CD.\n", 20))));
        Add("empty.dat", []);
        Add("exact.bin", Pattern(2048, 2048));
        Add("odd.bin", Pattern(5000, 5000));
        Add("hidden.txt", Encoding.UTF8.GetBytes("you may not see me\n"));
        Add("level1/level2/mid.txt", Encoding.UTF8.GetBytes("middle\n"));
        Add("level1/level2/level3/level4/level5/deep.txt", Encoding.UTF8.GetBytes("deep down\n"));
        for (int i = 0; i < ManyCount; i++)
            Add($"many/f{i:D3}.txt", Encoding.UTF8.GetBytes($"file {i}\n" + new string('x', i % 50)));
        foreach (string name in UnicodeNames) Add("names/" + name, Encoding.UTF8.GetBytes(name + "\n"));
        Add("names/" + LongName, Encoding.UTF8.GetBytes("long\n"));
        Add("names/MixedCase.Txt", Encoding.UTF8.GetBytes("case\n"));
        // Two sector-multiple neighbours for the multi-extent tests (records are patched there).
        Add("multi/part1.bin", Pattern(11, 4096));
        Add("multi/part2.bin", Pattern(12, 3000));
    }

    void Add(string relative, byte[] content)
    {
        string path = Path.Combine(SourceDir, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, content);
        SourceFiles.Add(relative);
    }

    // 64 KiB chunks: zeros, text with offsets, and noise, so ranges are not self-similar.
    static void WriteBigFile(string path)
    {
        using var stream = File.Create(path);
        var chunk = new byte[65536];
        for (int offset = 0, index = 0; offset < BigLength; offset += chunk.Length, index++)
        {
            switch (index % 3)
            {
                case 0:
                    Array.Clear(chunk);
                    break;
                case 1:
                    byte[] text = Encoding.ASCII.GetBytes($"chunk {index} at {offset}|");
                    for (int i = 0; i < chunk.Length; i++) chunk[i] = text[i % text.Length];
                    break;
                default:
                    Pattern(index, chunk.Length).CopyTo(chunk, 0);
                    break;
            }
            stream.Write(chunk, 0, Math.Min(chunk.Length, BigLength - offset));
        }
    }

    void MakeImage(ImageKind kind, string output, bool withBig)
    {
        var args = new List<string>();
        string tool;
        if (kind is ImageKind.XorrisoJoliet or ImageKind.XorrisoPrimary)
        {
            tool = "xorriso";
            args.AddRange(["-as", "mkisofs", "-quiet"]);
            if (kind == ImageKind.XorrisoJoliet) args.AddRange(["-J", "-joliet-long"]);
        }
        else
        {
            tool = "genisoimage";
            args.AddRange(["-quiet", "-input-charset", "utf-8"]);
            if (kind == ImageKind.GenisoimageJoliet) args.Add("-J");
            else args.AddRange(["-hidden", "hidden.txt"]);
        }
        args.AddRange(["-V", "ATCP_TEST", "-o", output, "-graft-points", "/=" + SourceDir]);
        if (withBig) args.Add("/" + BigName + "=" + BigPath);
        Run(tool, args);
    }

    byte[] MakeFuzzImage() => MakeXorrisoImage("fuzz", dir =>
    {
        Directory.CreateDirectory(Path.Combine(dir, "b", "c", "d"));
        Directory.CreateDirectory(Path.Combine(dir, "long"));
        File.WriteAllBytes(Path.Combine(dir, "a.txt"), Pattern(1, 100));
        File.WriteAllBytes(Path.Combine(dir, "empty"), []);
        File.WriteAllBytes(Path.Combine(dir, "b", "c", "d", "deep.bin"), Pattern(2, 2048));
        File.WriteAllBytes(Path.Combine(dir, "b", "héllo.txt"), Pattern(3, 3000));
        for (int i = 0; i < 30; i++)
            File.WriteAllBytes(Path.Combine(dir, "long", $"a long file name number {i:D2} padded to sixty characters.x"), Pattern(100 + i, 10 + i));
    }, "-J", "-V", "FUZZ");

    byte[] MakeAstralImage() => MakeXorrisoImage("astral", dir =>
    {
        foreach (string name in AstralNames) File.WriteAllBytes(Path.Combine(dir, name), Encoding.UTF8.GetBytes(name));
    }, "-J", "-joliet-utf16");

    /// <summary>Builds an extra xorriso image: populate fills a fresh source directory, extraArgs
    /// go before "-o" (for example "-J").</summary>
    public byte[] MakeXorrisoImage(string name, Action<string> populate, params string[] extraArgs)
    {
        string dir = Path.Combine(WorkDir, name + "-src");
        Directory.CreateDirectory(dir);
        populate(dir);
        string output = Path.Combine(WorkDir, name + ".iso");
        Run("xorriso", ["-as", "mkisofs", "-quiet", .. extraArgs, "-o", output, dir]);
        return File.ReadAllBytes(output);
    }

    static void Run(string tool, List<string> args)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        string stderr = process.StandardError.ReadToEnd();
        stdout.Wait();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException(tool + " " + string.Join(' ', args) + " failed (" + process.ExitCode + "): " + stderr);
    }

    public void Dispose()
    {
        try { Directory.Delete(WorkDir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

[CollectionDefinition(Name)]
public sealed class CdImageCollection : ICollectionFixture<CdImageFixture>
{
    public const string Name = "CD images";
}
