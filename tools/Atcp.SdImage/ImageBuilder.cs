using System.Text;
using Atcp.Emulation.Media;
using Atcp.Firmware.Board;
using Atcp.Firmware.Store;

namespace Atcp.SdImage;

/// <summary>What to build: the source tree, the image file, its size and format, and optionally the
/// board it is for (placement and settings).</summary>
public sealed record BuildOptions(string SourceDirectory, string OutputPath)
{
    /// <summary>Image size in bytes; null picks one (see StoreSizing.AutoBytes).</summary>
    public long? SizeBytes { get; init; }
    /// <summary>Volume label, up to 32 UTF-8 bytes.</summary>
    public string Label { get; init; } = "atcp";
    /// <summary>Bytes per stored checksum chunk (292 = 1460 / 5 suits MSS 1460).</summary>
    public int ChunkSize { get; init; } = StoreLayout.DefaultChunkSize;
    /// <summary>Directory capacity to format with; null: twice the object count or the store default.</summary>
    public int? MaxObjects { get; init; }
    /// <summary>Board id the image is for (writes its settings); null: no settings.</summary>
    public ushort? BoardId { get; init; }
    /// <summary>Boards in the cluster (ids 1..N); null: every object goes on the image.</summary>
    public int? BoardCount { get; init; }
    /// <summary>Copies per object across the cluster; null: min(2, BoardCount).</summary>
    public int? Copies { get; init; }
    /// <summary>Cluster id for the settings; null: BoardConfig's default.</summary>
    public uint? ClusterId { get; init; }
    /// <summary>128-bit cluster key for the settings; null: all zero.</summary>
    public byte[]? ClusterKey { get; init; }
    /// <summary>Store hidden (dot) files too.</summary>
    public bool IncludeHidden { get; init; }
    /// <summary>Leave out files with names the store refuses instead of failing.</summary>
    public bool SkipBad { get; init; }
    /// <summary>Draw the progress bar even when stderr is not a terminal.</summary>
    public bool ForceProgress { get; init; }
    /// <summary>Latest modification time stored (Unix seconds; SOURCE_DATE_EPOCH), for reproducible images.</summary>
    public long? ModifiedCeiling { get; init; }
}

/// <summary>What a build did.</summary>
public sealed record BuildResult(int Objects, long ContentBytes, long ImageBytes, long CapacityBytes, long FreeBytes,
    int OnOtherBoards, int HiddenSkipped, int BadSkipped, bool SettingsWritten, string? AutoSizeNote);

/// <summary>Builds an object store image from a directory with the firmware's own store code over a
/// file-backed block device. The image is written to a hidden temporary file next to the output
/// and renamed over it only when complete, so a failed build never leaves a half image behind.</summary>
public sealed class ImageBuilder(BuildOptions options, ToolConsole console)
{
    /// <summary>Bytes read from a source file per Append: whole blocks, so the writer sends them
    /// straight to the device without copying; large files are never held in memory whole.</summary>
    public const int ReadPiece = 1 << 20;

    /// <summary>Progress bars appear on a terminal from this much content on.</summary>
    public const long ProgressThreshold = 64L << 20;

    /// <summary>Runs the build; throws ToolException with a message for people on any failure.</summary>
    public BuildResult Build()
    {
        CheckOptions();
        string output = Path.GetFullPath(options.OutputPath);
        var tree = SourceTree.Scan(options.SourceDirectory, options.IncludeHidden, options.ModifiedCeiling);
        var files = tree.Files.Where(f => Path.GetFullPath(f.Path) != output).ToList();
        foreach (var note in tree.Notes) console.Error.WriteLine($"sdimage: skipped '{note.Name}': {note.Reason}");
        if (tree.Problems.Count > 0)
        {
            foreach (var p in tree.Problems)
                console.Error.WriteLine($"sdimage: {(options.SkipBad ? "skipped" : "refused")} '{p.Name}': {p.Reason}");
            if (!options.SkipBad)
                throw new ToolException($"{tree.Problems.Count} file(s) cannot be stored (see above); rename or fix them, or pass --skip-bad to leave them out");
        }
        int onOtherBoards = 0;
        if (options.BoardCount is int boards)
        {
            var placement = new Placement(boards, options.Copies ?? Placement.DefaultCopies(boards));
            int before = files.Count;
            files = files.Where(f => placement.Holds(options.BoardId!.Value, f.Name)).ToList();
            onOtherBoards = before - files.Count;
        }
        byte[]? settings = options.BoardId is ushort id
            ? Encoding.UTF8.GetBytes(BoardSettings.Format(BoardProvisioning.Settings(id, options.ClusterId, options.ClusterKey), true))
            : null;
        var sizes = files.Select(f => f.Length).ToList();
        if (settings != null) sizes.Add(settings.Length);
        var sizing = new StoreSizing(sizes, options.ChunkSize, options.MaxObjects);
        string? autoNote = null;
        long imageBytes;
        if (options.SizeBytes is long asked)
        {
            imageBytes = asked / StoreSizing.BlockSize * StoreSizing.BlockSize;
            if (imageBytes > StoreSizing.LargestBytes)
                throw new ToolException($"--size {ByteSize.Format(imageBytes)} is larger than the store supports ({ByteSize.Format(StoreSizing.LargestBytes)})");
            if (!sizing.Fits(imageBytes / StoreSizing.BlockSize))
            {
                long needed = sizing.MinimumBytes();
                throw new ToolException($"image too small: {ByteSize.Format(imageBytes)} cannot hold {files.Count} objects " +
                    $"({ByteSize.Format(sizing.ContentBytes)} of content); it needs at least {ByteSize.Format(needed)} " +
                    $"({ByteSize.Exact(needed)} bytes). Use --size {needed >> 20}M or larger, or --size auto");
            }
        }
        else
        {
            imageBytes = sizing.AutoBytes(out long nominal);
            autoNote = $"auto size {ByteSize.Format(imageBytes)}: fits any {StoreSizing.Nominal(nominal)} card";
        }
        return Write(output, files, settings, sizing, imageBytes, tree, onOtherBoards, autoNote);
    }

    void CheckOptions()
    {
        if (!Directory.Exists(options.SourceDirectory))
            throw new ToolException($"source directory not found: {options.SourceDirectory}");
        if (Encoding.UTF8.GetByteCount(options.Label) > 32) throw new UsageException("--label takes at most 32 bytes of UTF-8");
        if (options.ChunkSize is < StoreLayout.MinChunkSize or > StoreLayout.MaxChunkSize)
            throw new UsageException($"--chunk must be {StoreLayout.MinChunkSize}..{StoreLayout.MaxChunkSize}");
        if (Directory.Exists(options.OutputPath)) throw new ToolException($"--out {options.OutputPath} is a directory; give an image file name");
        if (Path.GetFullPath(options.OutputPath).StartsWith("/dev/", StringComparison.Ordinal))
            throw new ToolException("sdimage writes image files, not devices: build a file, then copy it to the card (e.g. dd)");
    }

    BuildResult Write(string output, List<SourceFile> files, byte[]? settings, StoreSizing sizing, long imageBytes,
        SourceTree tree, int onOtherBoards, string? autoNote)
    {
        string folder = Path.GetDirectoryName(output)!;
        if (!Directory.Exists(folder)) throw new ToolException($"output folder not found: {folder}");
        string partial = Path.Combine(folder, "." + Path.GetFileName(output) + ".partial");
        bool done = false;
        try
        {
            using (var create = new FileStream(partial, FileMode.Create, FileAccess.Write))
                create.SetLength(imageBytes); // sparse: untouched blocks cost no disk space
            BuildResult result;
            using (var device = new FileBlockDevice(partial, StoreSizing.BlockSize, readOnly: false, syncEachWrite: false))
            {
                var store = new ObjectStore(device);
                Expect(ObjectStore.Format(device, options.Label, options.ChunkSize, sizing.MaxObjectsFor(device.BlockCount)), store, "format");
                Expect(store.Mount(), store, "mount after format");
                long content = files.Sum(f => f.Length);
                var meter = new ProgressMeter(console.Error, content,
                    options.ForceProgress || (console.ErrorIsTerminal && content >= ProgressThreshold));
                byte[] buffer = new byte[ReadPiece];
                foreach (var file in files) WriteFile(store, file, buffer, meter, sizing);
                if (settings != null)
                {
                    var config = BoardProvisioning.Settings(options.BoardId!.Value, options.ClusterId, options.ClusterKey);
                    Expect(BoardSettings.Save(store, config), store, "write " + BoardSettings.ObjectName);
                }
                meter.Finish("wrote");
                Expect(store.Check(out int objects, out _), store, "check the finished image");
                device.Flush();
                result = new BuildResult(objects - (settings != null ? 1 : 0), content, imageBytes, store.CapacityBytes,
                    store.FreeBytes, onOtherBoards, tree.HiddenSkipped, tree.Problems.Count, settings != null, autoNote);
            }
            File.Move(partial, output, overwrite: true);
            done = true;
            return result;
        }
        catch (IOException e)
        {
            throw new ToolException($"writing {options.OutputPath} failed: {e.Message}");
        }
        finally
        {
            if (!done) File.Delete(partial);
        }
    }

    void WriteFile(ObjectStore store, SourceFile file, byte[] buffer, ProgressMeter meter, StoreSizing sizing)
    {
        byte[] type = Encoding.ASCII.GetBytes(file.ContentType);
        using var stream = OpenSource(file);
        long size = stream.Length;
        if (size != file.Length) throw new ToolException($"{file.Name} changed size while the image was being built");
        var writer = store.Writer;
        var status = writer.Begin(file.NameBytes, 0, file.NameBytes.Length, size, type, 0, type.Length, file.ModifiedTime);
        if (status != StoreStatus.Ok) throw new ToolException(BeginFailure(store, file, status, sizing));
        long left = size;
        while (left > 0)
        {
            int n = stream.ReadAtLeast(buffer, (int)Math.Min(buffer.Length, left), throwOnEndOfStream: false);
            if (n == 0) break;
            Expect(writer.Append(buffer, 0, n), store, "write " + file.Name);
            left -= n;
            meter.Add(n);
        }
        if (left != 0 || stream.ReadByte() >= 0)
        {
            writer.Abort();
            throw new ToolException($"{file.Name} changed size while the image was being built");
        }
        Expect(writer.Commit(), store, "commit " + file.Name);
    }

    static FileStream OpenSource(SourceFile file)
    {
        try { return new FileStream(file.Path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ToolException($"cannot read {file.Path}: {e.Message}");
        }
    }

    string BeginFailure(ObjectStore store, SourceFile file, StoreStatus status, StoreSizing sizing) => status switch
    {
        StoreStatus.CardFull or StoreStatus.Fragmented =>
            $"card full: no room for {file.Name} ({ByteSize.Format(file.Length)}), {ByteSize.Format(store.FreeBytes)} free; " +
            $"the content needs an image of at least {ByteSize.Format(sizing.MinimumBytes())}",
        StoreStatus.DirectoryFull =>
            $"directory full at {file.Name}: too many objects for the directory size; give a larger --max-objects",
        _ => $"cannot store {file.Name}: {Describe(store, status)}",
    };

    static void Expect(StoreStatus status, ObjectStore store, string what)
    {
        if (status != StoreStatus.Ok) throw new ToolException($"{what}: {Describe(store, status)}");
    }

    /// <summary>Words for a store status, with the device's status when the device failed.</summary>
    public static string Describe(ObjectStore store, StoreStatus status) =>
        StoreStatusText.Describe(status) + (status == StoreStatus.DeviceError ? $" ({store.LastDeviceStatus})" : "");
}
