namespace Atcp.SdImage;

/// <summary>A parsed command line: options (`--name value`, `--name=value`, flags) and the remaining
/// operands. Unknown options, missing values and repeated options are usage errors.</summary>
public sealed class Arguments
{
    readonly Dictionary<string, string?> _options = new(StringComparer.Ordinal);

    /// <summary>Operands in order (everything that is not an option or an option's value).</summary>
    public List<string> Operands { get; } = [];

    /// <summary>Parses args; valueOptions take a value, flags do not (names without the dashes).</summary>
    public static Arguments Parse(IEnumerable<string> args, IReadOnlyCollection<string> valueOptions, IReadOnlyCollection<string> flags)
    {
        var result = new Arguments();
        using var e = args.GetEnumerator();
        bool onlyOperands = false;
        while (e.MoveNext())
        {
            string a = e.Current;
            if (onlyOperands || !a.StartsWith("--", StringComparison.Ordinal) || a == "-")
            {
                result.Operands.Add(a);
                continue;
            }
            if (a == "--") { onlyOperands = true; continue; }
            string name = a[2..];
            string? value = null;
            int eq = name.IndexOf('=');
            if (eq >= 0) { value = name[(eq + 1)..]; name = name[..eq]; }
            if (result._options.ContainsKey(name)) throw new UsageException($"--{name} given twice");
            if (flags.Contains(name))
            {
                if (value != null) throw new UsageException($"--{name} takes no value");
                result._options[name] = null;
            }
            else if (valueOptions.Contains(name))
            {
                if (value == null)
                {
                    if (!e.MoveNext()) throw new UsageException($"--{name} needs a value");
                    value = e.Current;
                }
                result._options[name] = value;
            }
            else
            {
                throw new UsageException($"unknown option --{name}");
            }
        }
        return result;
    }

    /// <summary>True when the flag or option was given.</summary>
    public bool Has(string name) => _options.ContainsKey(name);

    /// <summary>The option's value, or null when absent.</summary>
    public string? Value(string name) => _options.TryGetValue(name, out var v) ? v : null;

    /// <summary>The option's value as an integer in [min, max], or fallback when absent.</summary>
    public int Int(string name, int fallback, int min, int max)
    {
        string? v = Value(name);
        if (v == null) return fallback;
        if (!int.TryParse(v, System.Globalization.NumberStyles.None, null, out int n) || n < min || n > max)
            throw new UsageException($"--{name} must be a whole number from {min} to {max}, not '{v}'");
        return n;
    }
}
