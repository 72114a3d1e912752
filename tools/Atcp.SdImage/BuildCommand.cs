namespace Atcp.SdImage;

/// <summary>`sdimage build --out IMG [options] DIR`: parses the options into BuildOptions, builds, and
/// prints the summary.</summary>
public static class BuildCommand
{
    /// <summary>Options that take a value.</summary>
    public static readonly string[] ValueOptions =
        ["out", "size", "label", "chunk", "max-objects", "board-id", "boards", "copies", "cluster-key-file", "cluster-id"];

    /// <summary>Options without a value.</summary>
    public static readonly string[] Flags = ["include-hidden", "skip-bad", "progress"];

    /// <summary>Runs the command; 0 on success.</summary>
    public static int Run(Arguments args, ToolConsole console)
    {
        var options = Parse(args);
        var result = new ImageBuilder(options, console).Build();
        var o = console.Out;
        o.WriteLine($"image     {options.OutputPath}: {ByteSize.Format(result.ImageBytes)} ({ByteSize.Exact(result.ImageBytes)} bytes), " +
            $"label \"{options.Label}\", chunk {options.ChunkSize}");
        if (result.AutoSizeNote != null) o.WriteLine($"size      {result.AutoSizeNote}");
        o.WriteLine($"objects   {result.Objects} ({ByteSize.Format(result.ContentBytes)})");
        if (options.BoardCount is int n)
            o.WriteLine($"placement board {options.BoardId} of {n}, {options.Copies ?? Placement.DefaultCopies(n)} copies: " +
                $"{result.OnOtherBoards} objects belong to other boards only");
        if (result.SettingsWritten)
            o.WriteLine($"settings  .atcp/board.conf for board {options.BoardId}" + (options.ClusterKey == null ? " (cluster key all zero)" : ""));
        if (result.HiddenSkipped > 0) o.WriteLine($"skipped   {result.HiddenSkipped} hidden entries (--include-hidden stores them)");
        if (result.BadSkipped > 0) o.WriteLine($"skipped   {result.BadSkipped} files with names the store refuses");
        o.WriteLine($"free      {ByteSize.Format(result.FreeBytes)} of {ByteSize.Format(result.CapacityBytes)}");
        return 0;
    }

    /// <summary>The build options a command line asks for.</summary>
    public static BuildOptions Parse(Arguments args)
    {
        if (args.Operands.Count != 1) throw new UsageException("build takes one source directory");
        string output = args.Value("out") ?? throw new UsageException("build needs --out IMG");
        long? size = null;
        string sizeText = args.Value("size") ?? "auto";
        if (sizeText != "auto")
        {
            if (!ByteSize.TryParse(sizeText, out long bytes)) throw new UsageException($"--size must be like 2G, 512M, 4GB or auto, not '{sizeText}'");
            size = bytes;
        }
        int? boards = args.Has("boards") ? args.Int("boards", 0, 1, 65534) : null;
        ushort? boardId = args.Has("board-id") ? (ushort)args.Int("board-id", 0, 1, boards ?? 65534) : null;
        if (boards != null && boardId == null) throw new UsageException("--boards needs --board-id (which board this image is for)");
        if (args.Has("copies") && boards == null) throw new UsageException("--copies needs --boards");
        int? copies = boards is int n && args.Has("copies") ? args.Int("copies", 0, 1, n) : null;
        if (boardId == null && (args.Has("cluster-key-file") || args.Has("cluster-id")))
            throw new UsageException("--cluster-key-file and --cluster-id go into the board's settings: give --board-id too");
        string? keyFile = args.Value("cluster-key-file");
        string? clusterId = args.Value("cluster-id");
        string? epoch = Environment.GetEnvironmentVariable("SOURCE_DATE_EPOCH");
        return new BuildOptions(args.Operands[0], output)
        {
            SizeBytes = size,
            Label = args.Value("label") ?? (boardId is ushort id ? $"atcp-board-{id}" : "atcp"),
            ChunkSize = args.Int("chunk", Atcp.Firmware.Store.StoreLayout.DefaultChunkSize, 2, 65535),
            MaxObjects = args.Has("max-objects") ? args.Int("max-objects", 0, 1, Atcp.Firmware.Store.StoreLayout.MaxObjectsLimit) : null,
            BoardId = boardId,
            BoardCount = boards,
            Copies = copies,
            ClusterId = clusterId == null ? null : BoardProvisioning.ParseClusterId(clusterId),
            ClusterKey = keyFile == null ? null : BoardProvisioning.ReadKeyFile(keyFile),
            IncludeHidden = args.Has("include-hidden"),
            SkipBad = args.Has("skip-bad"),
            ForceProgress = args.Has("progress"),
            ModifiedCeiling = long.TryParse(epoch, out long e) && e >= 0 ? e : null,
        };
    }
}
