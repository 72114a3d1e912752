using System.Reflection;
using System.Runtime.CompilerServices;

namespace Atcp.Firmware.Tests.Board;

/// <summary>What the board keeps on its managed heap, found by walking object references from given
/// roots (instance fields, array elements) and counting each reachable object once. Only the
/// firmware's own objects count: the walk enters objects whose type comes from the firmware or
/// wire assemblies, and arrays and strings they hold; anything else (emulated chips, clocks, serial
/// ports, delegates) is hardware or host plumbing and is neither counted nor entered.
///
/// Two sizes per object: the host's (64-bit CoreCLR: 16-byte object header, 8-byte references,
/// 8-byte alignment; measured once per type by allocating an uninitialised instance) and an
/// estimate for nanoCLR on a 32-bit ESP32, from how nanoCLR lays out its heap (CLR_RT_HeapBlock is
/// 12 bytes): an object is one header block plus one block per field whatever the field's type
/// (a byte field costs 12 bytes, a long too); an array is a 20-byte array header plus its elements
/// (1, 2, 4 or 8 bytes for primitives, 12 bytes per reference: an element is a whole heap block),
/// rounded up to whole 12-byte blocks; a string is a 12-byte header plus its UTF-8 bytes and a
/// terminator, rounded up the same way (nanoCLR keeps strings in UTF-8; the host in UTF-16).</summary>
public sealed class HeapFootprint
{
    /// <summary>One heap block on nanoCLR for 32-bit targets (CLR_RT_HeapBlock: 4-byte header, 8 data bytes).</summary>
    public const int NanoBlock = 12;
    /// <summary>sizeof(CLR_RT_HeapBlock_Array) on 32-bit targets: a heap block plus element type,
    /// reference flag, element size and count.</summary>
    public const int NanoArrayHeader = 20;

    static readonly Dictionary<Type, long> HostInstanceSize = [];

    readonly HashSet<object> _seen = new(ReferenceEqualityComparer.Instance);
    readonly HashSet<object> _boundaries = new(ReferenceEqualityComparer.Instance);

    /// <summary>Bytes and objects charged to one named part, in the order parts were added.</summary>
    public sealed class Part
    {
        /// <summary>The part's name.</summary>
        public required string Name { get; init; }
        /// <summary>Bytes on the host.</summary>
        public long HostBytes { get; set; }
        /// <summary>Estimated bytes on nanoCLR.</summary>
        public long NanoBytes { get; set; }
        /// <summary>Objects counted.</summary>
        public int Objects { get; set; }
    }

    /// <summary>Bytes per type, over every part.</summary>
    public sealed class TypeRow
    {
        /// <summary>The type's short name (arrays with their element type).</summary>
        public required string Name { get; init; }
        /// <summary>Bytes on the host.</summary>
        public long HostBytes { get; set; }
        /// <summary>Estimated bytes on nanoCLR.</summary>
        public long NanoBytes { get; set; }
        /// <summary>Instances.</summary>
        public int Count { get; set; }
    }

    /// <summary>Parts in the order they were added.</summary>
    public List<Part> Parts { get; } = [];

    /// <summary>Rows by type name.</summary>
    public Dictionary<string, TypeRow> Types { get; } = [];

    /// <summary>Total host bytes.</summary>
    public long HostBytes => Parts.Sum(p => p.HostBytes);

    /// <summary>Total estimated nanoCLR bytes.</summary>
    public long NanoBytes => Parts.Sum(p => p.NanoBytes);

    /// <summary>Charges to a part named name every object reachable from root that no earlier part
    /// reached (so shared objects count once, under the first part that reached them), without
    /// entering the boundary objects (other parts' roots, measured on their own).</summary>
    public Part Add(string name, object? root, params object?[] boundaries)
    {
        var part = new Part { Name = name };
        Parts.Add(part);
        if (root == null) return part;
        _boundaries.Clear();
        foreach (object? b in boundaries) if (b != null && !ReferenceEquals(b, root)) _boundaries.Add(b);
        var stack = new Stack<(object, string)>();
        Visit(root, name, stack, part, force: true);
        while (stack.Count > 0)
        {
            (object o, string path) = stack.Pop();
            if (o is Array array)
            {
                if (array.GetType().GetElementType()!.IsValueType) continue;
                int i = 0;
                foreach (object? e in array) { if (e != null) Visit(e, path + "[" + i + "]", stack, part, force: false); i++; }
                continue;
            }
            for (Type? t = o.GetType(); t != null && t != typeof(object); t = t.BaseType)
                foreach (FieldInfo f in t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                    if (!f.FieldType.IsValueType && f.GetValue(o) is { } value) Visit(value, path + "." + f.Name, stack, part, force: false);
        }
        return part;
    }

    /// <summary>Charges to a part the static fields of every type in the given assemblies (nanoCLR
    /// runs every static constructor at boot, so their objects live on its heap for good).</summary>
    public Part AddStatics(string name, params Assembly[] assemblies)
    {
        var holder = new List<(string, object)>();
        int staticFields = 0;
        foreach (Assembly a in assemblies)
            foreach (Type t in a.GetTypes())
            {
                if (t.IsGenericTypeDefinition) continue;
                foreach (FieldInfo f in t.GetFields(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                {
                    if (f.IsLiteral) continue; // constants are compiled into the code
                    staticFields++;
                    if (!f.FieldType.IsValueType && f.GetValue(null) is { } value) holder.Add((t.Name + "." + f.Name, value));
                }
            }
        // The holder itself is not board state: walk its elements as roots of this part. On
        // nanoCLR every static field is a heap block of its own as well (the host keeps statics
        // in the type's data, counted here as nothing).
        var part = new Part { Name = name };
        Parts.Add(part);
        part.NanoBytes += (long)NanoBlock * staticFields;
        foreach ((string field, object o) in holder)
        {
            Part sub = Add(name + ": " + field, o);
            Parts.Remove(sub);
            part.HostBytes += sub.HostBytes; part.NanoBytes += sub.NanoBytes; part.Objects += sub.Objects;
        }
        return part;
    }

    /// <summary>True for objects that are the board's (walked and counted).</summary>
    public static bool IsFirmwareObject(object o)
    {
        Type t = o.GetType();
        if (t == typeof(string) || t.IsArray) return true;
        string? assembly = t.Assembly.GetName().Name;
        return assembly == "Atcp.Firmware" || assembly == "Atcp.Wire";
    }

    /// <summary>Objects of at least <see cref="LargeObjectBytes"/> host bytes, with the field path they were reached by.</summary>
    public List<(string Path, long HostBytes, long NanoBytes)> LargeObjects { get; } = [];

    /// <summary>Threshold for <see cref="LargeObjects"/>.</summary>
    public long LargeObjectBytes { get; set; } = 64;

    void Visit(object o, string path, Stack<(object, string)> stack, Part part, bool force)
    {
        if (!force && (!IsFirmwareObject(o) || _boundaries.Contains(o))) return;
        if (!_seen.Add(o)) return;
        long host = HostSize(o), nano = NanoSize(o);
        part.HostBytes += host;
        part.NanoBytes += nano;
        part.Objects++;
        string typeName = TypeName(o.GetType());
        if (!Types.TryGetValue(typeName, out TypeRow? row)) Types[typeName] = row = new TypeRow { Name = typeName };
        row.HostBytes += host; row.NanoBytes += nano; row.Count++;
        if (host >= LargeObjectBytes) LargeObjects.Add((path, host, nano));
        if (o is not string) stack.Push((o, path));
    }

    static string TypeName(Type t) => t.IsArray ? TypeName(t.GetElementType()!) + "[]" : t.Name;

    /// <summary>The object's size on the 64-bit host.</summary>
    public static long HostSize(object o)
    {
        if (o is string s) return Align8(22 + 2L * s.Length);
        if (o is Array a)
        {
            Type e = a.GetType().GetElementType()!;
            long element = e.IsValueType ? ElementSize(e) : 8;
            return Math.Max(24, Align8(24 + element * a.Length));
        }
        Type t = o.GetType();
        lock (HostInstanceSize)
        {
            if (HostInstanceSize.TryGetValue(t, out long size)) return size;
            // The allocator's own count is exact per object; take the smallest of a few tries in
            // case runtime work (a type load) lands in one of them.
            size = long.MaxValue;
            for (int i = 0; i < 4; i++)
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                object instance = RuntimeHelpers.GetUninitializedObject(t);
                size = Math.Min(size, GC.GetAllocatedBytesForCurrentThread() - before);
                GC.KeepAlive(instance);
            }
            HostInstanceSize[t] = size;
            return size;
        }
    }

    /// <summary>The object's estimated size on nanoCLR (32-bit).</summary>
    public static long NanoSize(object o)
    {
        if (o is string s)
        {
            // A literal (interned on the host) stays in the assembly on nanoCLR: the heap holds only
            // the one block that points at it.
            if (string.IsInterned(s) != null) return NanoBlock;
            return Blocks(NanoBlock + System.Text.Encoding.UTF8.GetByteCount(s) + 1);
        }
        if (o is Array a)
        {
            Type e = a.GetType().GetElementType()!;
            long element = e.IsPrimitive || e.IsEnum ? ElementSize(e) : NanoBlock;
            return Blocks(NanoArrayHeader + element * a.Length);
        }
        return NanoObject(o.GetType());
    }

    // A header block and a block per field; a field of a struct type holds a boxed copy, another
    // object of the same shape.
    static long NanoObject(Type type)
    {
        long size = NanoBlock;
        for (Type? t = type; t != null && t != typeof(object) && t != typeof(ValueType); t = t.BaseType)
            foreach (FieldInfo f in t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                size += NanoBlock;
                Type ft = f.FieldType;
                if (ft.IsValueType && !ft.IsPrimitive && !ft.IsEnum) size += NanoObject(ft);
            }
        return size;
    }

    static long ElementSize(Type e)
    {
        if (e.IsEnum) e = Enum.GetUnderlyingType(e);
        if (e == typeof(byte) || e == typeof(sbyte) || e == typeof(bool)) return 1;
        if (e == typeof(short) || e == typeof(ushort) || e == typeof(char)) return 2;
        if (e == typeof(int) || e == typeof(uint) || e == typeof(float)) return 4;
        if (e == typeof(long) || e == typeof(ulong) || e == typeof(double)) return 8;
        return Marshal(e);
    }

    static long Marshal(Type e) => System.Runtime.InteropServices.Marshal.SizeOf(e);

    static long Align8(long n) => (n + 7) & ~7L;

    static long Blocks(long bytes) => (bytes + NanoBlock - 1) / NanoBlock * NanoBlock;

    /// <summary>The breakdown as text: parts, then the biggest types.</summary>
    public string Report(int topTypes = 25)
    {
        var w = new System.Text.StringBuilder();
        w.AppendLine($"{"part",-34} {"host B",9} {"nanoCLR B",10} {"objects",8}");
        foreach (Part p in Parts) w.AppendLine($"{p.Name,-34} {p.HostBytes,9} {p.NanoBytes,10} {p.Objects,8}");
        w.AppendLine($"{"total",-34} {HostBytes,9} {NanoBytes,10} {Parts.Sum(p => p.Objects),8}");
        w.AppendLine();
        w.AppendLine($"{"type",-34} {"host B",9} {"nanoCLR B",10} {"count",8}");
        foreach (TypeRow r in Types.Values.OrderByDescending(r => r.HostBytes).Take(topTypes))
            w.AppendLine($"{r.Name,-34} {r.HostBytes,9} {r.NanoBytes,10} {r.Count,8}");
        w.AppendLine();
        w.AppendLine($"objects of {LargeObjectBytes} host bytes or more:");
        foreach (var o in LargeObjects) w.AppendLine($"{o.Path,-60} {o.HostBytes,7} {o.NanoBytes,7}");
        return w.ToString();
    }
}
