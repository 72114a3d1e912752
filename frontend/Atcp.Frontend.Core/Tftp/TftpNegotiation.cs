namespace Atcp.Frontend.Tftp;

/// <summary>The transfer parameters agreed with a client, and the OACK options that say so.</summary>
/// <param name="BlockSize">Payload bytes per DATA packet (512 unless blksize was accepted).</param>
/// <param name="WindowSize">Blocks per window (1 unless windowsize was accepted).</param>
/// <param name="TimeoutSeconds">The client's timeout when the timeout option was accepted, else null.</param>
/// <param name="Accepted">Options to send in the OACK, in request order; empty = no OACK (RFC 2347:
/// the server then answers with DATA directly).</param>
public sealed record TftpAgreement(int BlockSize, int WindowSize, int? TimeoutSeconds, IReadOnlyList<TftpOption> Accepted);

/// <summary>Outcome of negotiating a request's options: an agreement, or the message of an ERROR 8.</summary>
public readonly record struct TftpNegotiationResult(TftpAgreement? Agreement, string? Error)
{
    /// <summary>True when the options can be served.</summary>
    public bool IsOk => Agreement != null;
}

/// <summary>RFC 2347 option negotiation for a read request: blksize (RFC 2348), tsize and timeout
/// (RFC 2349), windowsize (RFC 7440). Unknown options are ignored (RFC 2347: the server omits what it
/// does not support). Choices:
/// <list type="bullet">
/// <item>blksize below 8 or a non-number: ERROR 8. Above the limit (the path MTU less the IPv4, UDP
/// and TFTP headers: 1468 for a 1500 MTU), however large: answered with the limit, which RFC 2348
/// allows (the server may choose a smaller value). Then rounded down to a multiple of the boards'
/// chunk size when one is configured and the result is at least one chunk, so blocks sit on the
/// stored-checksum grid (e.g. 1468 -> 1460 = 5 x 292).</item>
/// <item>tsize: answered with the file's size (RFC 2349, read requests), whatever number was sent.</item>
/// <item>timeout 1..255: accepted as is (RFC 2349 requires the same value); other numbers: omitted.</item>
/// <item>windowsize 1..65535: clamped to the board limit; 0 or above 65535: omitted.</item>
/// <item>A known option given twice: ERROR 8 (the request is ambiguous).</item>
/// </list></summary>
public static class TftpNegotiation
{
    /// <summary>blksize name (RFC 2348).</summary>
    public const string BlockSizeOption = "blksize";
    /// <summary>tsize name (RFC 2349).</summary>
    public const string TransferSizeOption = "tsize";
    /// <summary>timeout name (RFC 2349).</summary>
    public const string TimeoutOption = "timeout";
    /// <summary>windowsize name (RFC 7440).</summary>
    public const string WindowSizeOption = "windowsize";
    /// <summary>Block size without the option (RFC 1350).</summary>
    public const int DefaultBlockSize = 512;
    /// <summary>Smallest blksize (RFC 2348).</summary>
    public const int MinBlockSize = 8;
    /// <summary>Largest blksize a client may ask for (RFC 2348).</summary>
    public const int MaxBlockSize = 65464;

    static readonly string[] Known = [BlockSizeOption, TransferSizeOption, TimeoutOption, WindowSizeOption];

    /// <summary>Largest block that fits one unfragmented datagram with a TFTP DATA header on a path
    /// of the given MTU (IPv4 20, UDP 8, TFTP 4 bytes of headers).</summary>
    public static int BlockSizeLimit(int pathMtu) => pathMtu - 20 - 8 - 4;

    /// <summary>Negotiates options against the limits: maxBlockSize (see <see cref="BlockSizeLimit"/>),
    /// blockMultiple (the boards' stored-sum chunk size, 0 = none), maxWindowSize (the board limit).</summary>
    public static TftpNegotiationResult Negotiate(IReadOnlyList<TftpOption> options, long fileSize, int maxBlockSize,
        int blockMultiple, int maxWindowSize)
    {
        int blockSize = DefaultBlockSize, windowSize = 1;
        int? timeout = null;
        var accepted = new List<TftpOption>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var option in options)
        {
            string? name = Array.Find(Known, k => string.Equals(k, option.Name, StringComparison.OrdinalIgnoreCase));
            if (name == null) continue; // RFC 2347: unknown options are ignored
            if (!seen.Add(name)) return Error("option " + name + " given twice");
            if (!TryParseNumber(option.Value, out long value)) return Error("bad value for option " + name);
            switch (name)
            {
                case BlockSizeOption:
                    if (value < MinBlockSize) return Error("blksize below " + MinBlockSize);
                    blockSize = ChooseBlockSize(value, maxBlockSize, blockMultiple);
                    accepted.Add(new TftpOption(name, blockSize.ToString()));
                    break;
                case TransferSizeOption:
                    accepted.Add(new TftpOption(name, fileSize.ToString()));
                    break;
                case TimeoutOption:
                    if (value < 1 || value > 255) break;
                    timeout = (int)value;
                    accepted.Add(new TftpOption(name, value.ToString()));
                    break;
                case WindowSizeOption:
                    if (value < 1 || value > 65535) break;
                    windowSize = (int)Math.Min(value, maxWindowSize);
                    accepted.Add(new TftpOption(name, windowSize.ToString()));
                    break;
            }
        }
        return new TftpNegotiationResult(new TftpAgreement(blockSize, windowSize, timeout, accepted), null);
    }

    /// <summary>The block size to offer for a requested one: capped at the limit, then rounded down to
    /// a multiple of blockMultiple when that leaves at least one multiple.</summary>
    public static int ChooseBlockSize(long requested, int maxBlockSize, int blockMultiple)
    {
        int size = (int)Math.Min(requested, maxBlockSize);
        if (blockMultiple > 0 && size >= blockMultiple) size -= size % blockMultiple;
        return size;
    }

    /// <summary>Decimal digits only (no sign, no spaces), at least one; values beyond long are
    /// reported as long.MaxValue so "huge" stays huge instead of failing.</summary>
    public static bool TryParseNumber(string text, out long value)
    {
        value = 0;
        if (text.Length == 0) return false;
        foreach (char c in text)
        {
            if (c < '0' || c > '9') return false;
            int digit = c - '0';
            value = value > (long.MaxValue - digit) / 10 ? long.MaxValue : value * 10 + digit;
        }
        return true;
    }

    static TftpNegotiationResult Error(string message) => new(null, message);
}
