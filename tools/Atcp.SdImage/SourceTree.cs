using System.Text;
using Atcp.Firmware.Store;

namespace Atcp.SdImage;

/// <summary>One file to store: its object name (path relative to the source directory, '/'
/// separators), the name's UTF-8 bytes, where to read it and what it holds.</summary>
public sealed record SourceFile(string Name, byte[] NameBytes, string Path, long Length, long ModifiedTime)
{
    /// <summary>The content type from the extension.</summary>
    public string ContentType => ContentTypeTable.For(Name);
}

/// <summary>A file the store cannot take under its name, and why.</summary>
public sealed record SourceProblem(string Name, string Reason);

/// <summary>The files under a source directory, as objects to store. Hidden entries (names starting
/// with a dot) are skipped unless asked for; symbolic links are followed (a link back to a directory
/// being walked is skipped); empty directories contribute nothing (the store has no directories).
/// Files come sorted by the bytes of their names, so the same tree gives the same image.</summary>
public sealed class SourceTree
{
    /// <summary>Prefix of names the board keeps for itself (its settings file).</summary>
    public const string ReservedPrefix = ".atcp/";

    /// <summary>Files that can be stored, sorted by name bytes.</summary>
    public List<SourceFile> Files { get; } = [];

    /// <summary>Files whose names the store refuses (too long, not UTF-8, reserved) or that cannot be read.</summary>
    public List<SourceProblem> Problems { get; } = [];

    /// <summary>Things left out that need no action (links back into a directory being walked).</summary>
    public List<SourceProblem> Notes { get; } = [];

    /// <summary>Hidden files and directories left out.</summary>
    public int HiddenSkipped { get; private set; }

    /// <summary>Reads the tree under root. modifiedCeiling (Unix seconds, e.g. SOURCE_DATE_EPOCH)
    /// caps the modification times stored, for reproducible images.</summary>
    public static SourceTree Scan(string root, bool includeHidden, long? modifiedCeiling = null)
    {
        var tree = new SourceTree();
        var top = new DirectoryInfo(root);
        if (!top.Exists) throw new ToolException($"source directory not found: {root}");
        tree.Walk(top, "", [FinalPath(top)], includeHidden, modifiedCeiling);
        tree.Files.Sort((a, b) => a.NameBytes.AsSpan().SequenceCompareTo(b.NameBytes));
        return tree;
    }

    void Walk(DirectoryInfo dir, string prefix, List<string> open, bool includeHidden, long? ceiling)
    {
        IEnumerable<FileSystemInfo> entries;
        try { entries = dir.EnumerateFileSystemInfos().ToList(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Problems.Add(new SourceProblem(prefix.Length == 0 ? "." : prefix.TrimEnd('/'), "directory unreadable: " + e.Message));
            return;
        }
        foreach (var entry in entries)
        {
            string name = prefix + entry.Name;
            if (entry.Name.StartsWith('.') && !includeHidden) { HiddenSkipped++; continue; }
            // .NET decodes file names as UTF-8 and turns invalid bytes into U+FFFD; such a name no
            // longer names the file, so it can neither be opened nor stored.
            if (entry.Name.Contains('\uFFFD') && !Path.Exists(entry.FullName))
            {
                Problems.Add(new SourceProblem(name, "name is not valid UTF-8 (bad bytes shown as \uFFFD)"));
                continue;
            }
            bool isLink = entry.LinkTarget != null;
            FileSystemInfo? target = entry;
            if (isLink)
            {
                try { target = entry.ResolveLinkTarget(returnFinalTarget: true); }
                catch (IOException) { target = null; }
                if (target == null || !target.Exists)
                {
                    Problems.Add(new SourceProblem(name, "broken symbolic link"));
                    continue;
                }
            }
            if (target is DirectoryInfo sub)
            {
                string final = FinalPath(sub);
                if (open.Contains(final)) { Notes.Add(new SourceProblem(name, "links back to a folder being walked, not followed")); continue; }
                open.Add(final);
                Walk(new DirectoryInfo(entry.FullName), name + "/", open, includeHidden, ceiling);
                open.RemoveAt(open.Count - 1);
                continue;
            }
            AddFile(name, entry.FullName, (FileInfo)target, ceiling);
        }
    }

    void AddFile(string name, string path, FileInfo info, long? ceiling)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(name);
        if (bytes.Length > StoreObject.MaxNameLength)
        {
            Problems.Add(new SourceProblem(name, $"name is {bytes.Length} bytes of UTF-8, the store takes at most {StoreObject.MaxNameLength}"));
            return;
        }
        if (name.StartsWith(ReservedPrefix, StringComparison.Ordinal))
        {
            Problems.Add(new SourceProblem(name, $"names under {ReservedPrefix} are the board's own (use --board-id for its settings)"));
            return;
        }
        long modified = new DateTimeOffset(info.LastWriteTimeUtc).ToUnixTimeSeconds();
        if (modified < 0) modified = 0;
        if (ceiling is long c && modified > c) modified = c;
        Files.Add(new SourceFile(name, bytes, path, info.Length, modified));
    }

    static string FinalPath(DirectoryInfo dir)
    {
        // The real path of a directory, so a link back to a directory being walked is recognised.
        string full = Path.TrimEndingDirectorySeparator(dir.FullName);
        var parts = full.Split('/', StringSplitOptions.RemoveEmptyEntries);
        string current = "/";
        foreach (var part in parts)
        {
            current = Path.Combine(current, part);
            var link = new DirectoryInfo(current).ResolveLinkTarget(returnFinalTarget: true);
            if (link != null) current = Path.TrimEndingDirectorySeparator(link.FullName);
        }
        return current;
    }
}
