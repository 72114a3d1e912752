using Atcp.Firmware.Store;

namespace Atcp.SdImage;

/// <summary>`sdimage verify IMG`: the store's metadata cross-check (ObjectStore.Check), then every
/// object's payload against its CRC-32C and stored chunk sums (ObjectStore.Verify).</summary>
public static class VerifyCommand
{
    /// <summary>Runs the command; 0 when everything checks out, 1 on any failure (each one printed).</summary>
    public static int Run(Arguments args, ToolConsole console)
    {
        if (args.Operands.Count != 1) throw new UsageException("verify takes one image file");
        string path = args.Operands[0];
        using var image = ImageReader.Open(path);
        var store = image.Store;
        var o = console.Out;
        int failures = 0;
        if (store.OtherSlotDamaged)
            o.WriteLine("note: the older superblock slot is damaged (usual after a power cut during a write; the newest state is intact)");
        var check = store.Check(out int counted, out long units);
        if (check == StoreStatus.Ok) o.WriteLine($"metadata ok: {counted} objects in {units} units");
        else
        {
            o.WriteLine($"FAIL metadata: {ImageBuilder.Describe(store, check)}");
            failures++;
        }
        var problems = new List<string>();
        var objects = image.ListAll(problems);
        foreach (var p in problems) { o.WriteLine("FAIL " + p); failures++; }
        long bytes = 0;
        int bad = 0;
        foreach (var x in objects)
        {
            var status = store.Verify(x);
            bytes += x.Size;
            if (status == StoreStatus.Ok) continue;
            o.WriteLine($"FAIL {InspectCommand.Printable(x.GetName())}: {ImageBuilder.Describe(store, status)}");
            bad++;
        }
        failures += bad;
        o.WriteLine(bad == 0
            ? $"verified {objects.Count} objects ({ByteSize.Format(bytes)}): all match their CRC-32C and chunk sums"
            : $"verified {objects.Count} objects ({ByteSize.Format(bytes)}): {bad} damaged");
        if (failures > 0) console.Error.WriteLine($"sdimage: {path} failed verification ({failures} problem(s))");
        return failures == 0 ? 0 : 1;
    }
}
