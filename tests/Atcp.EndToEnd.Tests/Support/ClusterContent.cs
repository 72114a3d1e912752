using System.Text;

namespace Atcp.EndToEnd.Tests.Support;

/// <summary>One file the cluster serves: its URL, the source file the download must equal, its size.</summary>
public sealed class ContentObject(string name, string url, string source)
{
    readonly Lazy<string> _sha256 = new(() => ContentAssert.Sha256(source));

    /// <summary>The name on the card (disk objects) or the path on the CD.</summary>
    public string Name { get; } = name;

    /// <summary>Where a client gets it.</summary>
    public string Url { get; } = url;

    /// <summary>The source file.</summary>
    public string Source { get; } = source;

    /// <summary>Size in bytes.</summary>
    public long Length => new FileInfo(Source).Length;

    /// <summary>SHA-256 of the source, lower-case hex (computed once).</summary>
    public string Sha256 => _sha256.Value;

    /// <summary>The name, for test output.</summary>
    public override string ToString() => Name;
}

/// <summary>The content of the cluster tests, made once per fixture in a temporary folder: disk
/// objects (small files around segment sizes, keep-alive objects, a 3 MB, a 20 MB and a 200 MiB
/// file of stamped data, an HTML page with a WebM video made by ffmpeg, files sized to exact
/// multiples of TFTP block sizes up to 52 MB) and a CD image made with xorriso. Sizes and bytes are fixed by seeds, so every run serves the same files.</summary>
public sealed class ClusterContent : IDisposable
{
    /// <summary>The service address the URLs point at.</summary>
    public const string Host = "http://" + TestbedHosts.ServiceIp;

    /// <summary>The ISO volume id (the URL prefix of CD files is /cd/VOLUME/).</summary>
    public const string Volume = "ATCP_E2E";

    /// <summary>Size of the large object: 200 MiB.</summary>
    public const long LargeLength = 200L << 20;

    readonly Dictionary<string, ContentObject> _objects = new(StringComparer.Ordinal);

    ClusterContent(string root)
    {
        Root = root;
        Directory.CreateDirectory(ContentDirectory);
        Directory.CreateDirectory(CdDirectory);
        Directory.CreateDirectory(Scratch);
    }

    /// <summary>The temporary folder holding everything (deleted on dispose).</summary>
    public string Root { get; }

    /// <summary>The folder given to tools/testbed --content: every file is a disk object.</summary>
    public string ContentDirectory => Path.Combine(Root, "content");

    /// <summary>The folder the CD image is made from.</summary>
    public string CdDirectory => Path.Combine(Root, "cd");

    /// <summary>The CD image given to tools/testbed --iso.</summary>
    public string IsoPath => Path.Combine(Root, "cluster.iso");

    /// <summary>Where tests put downloads and captures (emptied by nobody: the root goes at the end).</summary>
    public string Scratch => Path.Combine(Root, "scratch");

    /// <summary>Small disk objects: empty, 1 byte, around one and two TCP segments, 64 KiB, text.</summary>
    public IReadOnlyList<ContentObject> Small { get; private set; } = [];

    /// <summary>Objects of 150-160 KB for keep-alive tests (their placement differs).</summary>
    public IReadOnlyList<ContentObject> KeepAlive { get; private set; } = [];

    /// <summary>Files on the CD.</summary>
    public IReadOnlyList<ContentObject> CdFiles { get; private set; } = [];

    /// <summary>3 000 017 bytes of stamped data.</summary>
    public ContentObject Medium => _objects["mid/m3.bin"];

    /// <summary>20 MiB + 9 bytes of stamped data.</summary>
    public ContentObject Twenty => _objects["mid/m20.bin"];

    /// <summary>The 200 MiB object of stamped data.</summary>
    public ContentObject Large => _objects["large/big.bin"];

    /// <summary>TFTP block sizes the files below are exact multiples of: 512 (RFC 1350's, no
    /// blksize option) and 1168 (what the front-end answers to blksize 1428: the largest multiple of
    /// the boards' 292-byte checksum chunk not above it).</summary>
    public static readonly int[] TftpBlockSizes = [512, 1168];

    /// <summary>9 x 512 bytes: a TFTP transfer with 512-byte blocks ends with an empty block.</summary>
    public ContentObject TftpExact512 => _objects["tftp/x512.bin"];

    /// <summary>7 x 1168 bytes: ends with an empty block at blksize 1428 (answered 1168).</summary>
    public ContentObject TftpExact1168 => _objects["tftp/x1168.bin"];

    /// <summary>52 438 528 bytes (1403 x 37 376, a multiple of 512 and of 1168) of stamped data: the
    /// at-least-50-MB TFTP transfer, ending with an empty block at either size.</summary>
    public ContentObject TftpLarge => _objects["tftp/exact52m.bin"];

    /// <summary>The page with the video.</summary>
    public ContentObject Player => _objects["player.html"];

    /// <summary>Width of the video in pixels.</summary>
    public const int VideoWidth = 320;

    /// <summary>Height of the video in pixels.</summary>
    public const int VideoHeight = 240;

    /// <summary>Length of the video in seconds.</summary>
    public const int VideoSeconds = 60;

    /// <summary>The WebM video (VP8, 320x240, 60 s, about 7.5 MB).</summary>
    public ContentObject Video => _objects["media/clip.webm"];

    /// <summary>The disk object or CD file of that name (CD files as "cd:path").</summary>
    public ContentObject this[string name] => _objects[name];

    /// <summary>Makes all the content in a new temporary folder; installs ffmpeg and xorriso when missing.</summary>
    public static ClusterContent Create()
    {
        HostTools.Require("ffmpeg:ffmpeg", "xorriso:xorriso");
        var content = new ClusterContent(Path.Combine(Path.GetTempPath(), "atcp-e2e-" + Guid.NewGuid().ToString("N")[..12]));
        try
        {
            content.Generate();
            return content;
        }
        catch
        {
            content.Dispose();
            throw;
        }
    }

    void Generate()
    {
        Text("index.html", "<!doctype html>\n<title>atcp end-to-end</title>\n<h1>Served by a storage board</h1>\n");
        var small = new List<ContentObject>
        {
            Bytes("small/empty.dat", []),
            Bytes("small/one.txt", "x"u8.ToArray()),
            Text("small/notes.txt", string.Concat(Enumerable.Range(0, 150).Select(i => "line " + i + " of the notes\n"))),
        };
        // Around the MSS (1460 for a 1500-byte MTU), two segments, a page, 64 KiB.
        foreach (int size in new[] { 100, 1459, 1460, 1461, 2920, 4096, 65535, 65536, 100_003 })
            small.Add(Random("small/o" + size + ".bin", size));
        Small = small;
        KeepAlive = Enumerable.Range(0, 9).Select(i => Random("ka/k" + i.ToString("00") + ".bin", 150_000 + i * 1111)).ToList();
        Stamped("mid/m3.bin", 3_000_017, 3);
        Stamped("mid/m20.bin", (20L << 20) + 9, 20);
        Stamped("large/big.bin", LargeLength, 200);
        Random("tftp/x512.bin", 9 * 512);
        Random("tftp/x1168.bin", 7 * 1168);
        Stamped("tftp/exact52m.bin", 1403L * 37_376, 52);
        MakeVideo();
        Text("player.html", PlayerPage);
        MakeCd();
    }

    // The page the browser test loads: a muted video element; the test drives it (tests/e2e-browser).
    const string PlayerPage = """
        <!doctype html>
        <html><head><meta charset="utf-8"><title>atcp video</title></head>
        <body><h1>atcp video</h1>
        <video id="clip" src="media/clip.webm" muted playsinline preload="auto" controls width="320" height="240"></video>
        </body></html>
        """;

    void MakeVideo()
    {
        string path = Path.Combine(ContentDirectory, "media", "clip.webm");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        // VP8 (every Chromium plays it), 1 Mbit/s for 60 s (7.5 MB: more than Chromium reads ahead,
        // so a seek near the end needs a Range request of its own), a key frame every second so
        // seeking is quick, no audio. One thread, "good" deadline and bitexact: the same bytes on
        // every run (the realtime deadline depends on the clock), in about 2 s.
        Commands.Run("ffmpeg", ["-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
            "testsrc2=size=" + VideoWidth + "x" + VideoHeight + ":rate=25:duration=" + VideoSeconds,
            "-c:v", "libvpx", "-b:v", "1M", "-g", "25", "-deadline", "good", "-cpu-used", "5", "-threads", "1", "-an",
            "-fflags", "+bitexact", "-flags", "+bitexact", path], timeout: TimeSpan.FromMinutes(3)).EnsureSuccess();
        Add("media/clip.webm", path);
    }

    void MakeCd()
    {
        var cd = new List<ContentObject>
        {
            CdFile("README.TXT", Encoding.ASCII.GetBytes("atcp end-to-end test CD\n")),
            CdFile("docs/manual.txt", Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, 2000).Select(i => "manual line " + i + ": flash, wire, serve.\n")))),
        };
        string blob = Path.Combine(CdDirectory, "data", "blob.bin");
        Directory.CreateDirectory(Path.GetDirectoryName(blob)!);
        StampedData.Write(blob, 4_194_311, 4);
        cd.Add(AddCd("data/blob.bin", blob));
        string clip = Path.Combine(CdDirectory, "media", "clip.webm");
        Directory.CreateDirectory(Path.GetDirectoryName(clip)!);
        File.Copy(Video.Source, clip);
        cd.Add(AddCd("media/clip.webm", clip));
        CdFiles = cd;
        // Joliet keeps the names as written (ISO 9660 level 1 alone would upper-case them to 8.3).
        Commands.Run("xorriso", ["-as", "mkisofs", "-quiet", "-J", "-V", Volume, "-o", IsoPath, CdDirectory],
            timeout: TimeSpan.FromMinutes(2)).EnsureSuccess();
    }

    ContentObject Text(string name, string text) => Bytes(name, Encoding.UTF8.GetBytes(text));

    ContentObject Random(string name, int size)
    {
        var bytes = new byte[size];
        new Random(name.Aggregate(17, (h, c) => h * 31 + c)).NextBytes(bytes);
        return Bytes(name, bytes);
    }

    ContentObject Bytes(string name, byte[] bytes)
    {
        string path = DiskPath(name);
        File.WriteAllBytes(path, bytes);
        return Add(name, path);
    }

    ContentObject Stamped(string name, long length, int seed)
    {
        string path = DiskPath(name);
        StampedData.Write(path, length, seed);
        return Add(name, path);
    }

    ContentObject CdFile(string name, byte[] bytes)
    {
        string path = Path.Combine(CdDirectory, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
        return AddCd(name, path);
    }

    string DiskPath(string name)
    {
        string path = Path.Combine(ContentDirectory, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return path;
    }

    ContentObject Add(string name, string path) => _objects[name] = new ContentObject(name, Host + "/" + name, path);

    ContentObject AddCd(string name, string path) =>
        _objects["cd:" + name] = new ContentObject(name, Host + "/cd/" + Volume + "/" + name, path);

    /// <summary>Deletes the temporary folder.</summary>
    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); }
        catch (DirectoryNotFoundException) { }
    }
}
