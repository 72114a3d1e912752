using System.Text.Encodings.Web;
using System.Text.Json;
using Atcp.Firmware.Board;
using Atcp.Firmware.Console;
using Atcp.Firmware.Store;

namespace Atcp.SdImage;

/// <summary>`sdimage inspect IMG [--json]`: the store's facts and its objects.</summary>
public static class InspectCommand
{
    /// <summary>Runs the command; 0, or 1 when some directory entries could not be read.</summary>
    public static int Run(Arguments args, ToolConsole console)
    {
        if (args.Operands.Count != 1) throw new UsageException("inspect takes one image file");
        string path = args.Operands[0];
        using var image = ImageReader.Open(path);
        var store = image.Store;
        var problems = new List<string>();
        var objects = image.ListAll(problems);
        var settings = ReadSettings(store);
        if (args.Has("json")) WriteJson(console.Out, path, store, objects, settings, problems);
        else WriteText(console.Out, path, store, objects, settings);
        foreach (var p in problems) console.Error.WriteLine("sdimage: " + p);
        return problems.Count == 0 ? 0 : 1;
    }

    static BoardConfig? ReadSettings(ObjectStore store)
    {
        var config = new BoardConfig();
        return BoardSettings.Load(store, config, new BoardLog(), 0) ? config : null;
    }

    static void WriteText(TextWriter o, string path, ObjectStore store, List<StoreObject> objects, BoardConfig? settings)
    {
        long imageBytes = new FileInfo(path).Length;
        o.WriteLine($"image       {path} ({ByteSize.Format(imageBytes)})");
        o.WriteLine($"label       {store.GetLabel()}");
        o.WriteLine($"chunk size  {store.ChunkSize} bytes");
        o.WriteLine($"unit        {store.UnitBytes} bytes");
        o.WriteLine($"capacity    {ByteSize.Format(store.CapacityBytes)} ({ByteSize.Exact(store.CapacityBytes)} bytes)");
        o.WriteLine($"used        {ByteSize.Format(store.UsedBytes)} ({ByteSize.Exact(store.UsedBytes)} bytes)");
        o.WriteLine($"free        {ByteSize.Format(store.FreeBytes)} ({ByteSize.Exact(store.FreeBytes)} bytes)");
        o.WriteLine($"objects     {store.ObjectCount}");
        o.WriteLine($"generation  {store.Generation}");
        if (settings != null)
        {
            foreach (var line in BoardSettings.Format(settings, false).Split('\n', StringSplitOptions.RemoveEmptyEntries))
                o.WriteLine($"settings    {line}");
        }
        if (objects.Count == 0) return;
        o.WriteLine();
        int typeWidth = Math.Max(12, objects.Max(x => x.ContentTypeLength));
        o.WriteLine($"{"SIZE",15}  {"CONTENT TYPE".PadRight(typeWidth)}  {"ETAG",-30}  NAME");
        foreach (var x in objects)
            o.WriteLine($"{x.Size,15}  {x.GetContentType().PadRight(typeWidth)}  {x.GetETag(),-30}  {Printable(x.GetName())}");
    }

    static void WriteJson(TextWriter o, string path, ObjectStore store, List<StoreObject> objects, BoardConfig? settings,
        List<string> problems)
    {
        using var buffer = new MemoryStream();
        using (var j = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            j.WriteStartObject();
            j.WriteString("image", path);
            j.WriteNumber("imageBytes", new FileInfo(path).Length);
            j.WriteString("label", store.GetLabel());
            j.WriteNumber("chunkSize", store.ChunkSize);
            j.WriteNumber("unitBytes", store.UnitBytes);
            j.WriteNumber("capacityBytes", store.CapacityBytes);
            j.WriteNumber("usedBytes", store.UsedBytes);
            j.WriteNumber("freeBytes", store.FreeBytes);
            j.WriteNumber("objectCount", store.ObjectCount);
            j.WriteNumber("generation", store.Generation);
            if (settings != null)
            {
                j.WriteStartObject("settings");
                j.WriteNumber("boardId", settings.BoardId);
                j.WriteString("clusterId", settings.ClusterId.ToString("x8"));
                j.WriteString("mac", Convert.ToHexString(settings.Mac).ToLowerInvariant());
                j.WriteNumber("heartbeatSeconds", settings.HeartbeatSeconds);
                j.WriteNumber("epoch", settings.BootEpoch);
                j.WriteString("keyFingerprint", BoardSettings.KeyFingerprint(settings).Replace("fingerprint ", ""));
                j.WriteEndObject();
            }
            j.WriteStartArray("objects");
            foreach (var x in objects)
            {
                j.WriteStartObject();
                j.WriteString("name", x.GetName());
                j.WriteNumber("size", x.Size);
                j.WriteString("contentType", x.GetContentType());
                j.WriteString("etag", x.GetETag());
                j.WriteString("crc32c", x.PayloadCrc.ToString("x8"));
                j.WriteNumber("version", x.Version);
                j.WriteNumber("modifiedTime", x.ModifiedTime);
                j.WriteEndObject();
            }
            j.WriteEndArray();
            j.WriteStartArray("problems");
            foreach (var p in problems) j.WriteStringValue(p);
            j.WriteEndArray();
            j.WriteEndObject();
        }
        o.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
    }

    /// <summary>The name with control characters shown as \xNN, so a listing stays one line per object.</summary>
    public static string Printable(string name) =>
        string.Concat(name.Select(c => char.IsControl(c) ? $"\\x{(int)c:x2}" : c.ToString()));
}
