namespace Atcp.Frontend.Http;

/// <summary>Limits and the service identity the request parser checks against. The defaults follow
/// common servers (nginx's 8 KiB large_client_header_buffers; Apache's 100 fields).</summary>
public sealed record HttpParserOptions
{
    /// <summary>Longest request line, without its CRLF. A target that pushes the line past this is a 414.</summary>
    public int MaxRequestLineLength { get; init; } = 8192;

    /// <summary>Longest method token; a longer run of token characters is an unknown method (501).</summary>
    public int MaxMethodLength { get; init; } = 32;

    /// <summary>Most header field lines (431 beyond).</summary>
    public int MaxHeaderCount { get; init; } = 100;

    /// <summary>Longest header field line, without its CRLF (431 beyond).</summary>
    public int MaxHeaderLineLength { get; init; } = 8192;

    /// <summary>Most bytes of the whole header section after the request line, final CRLF included (431 beyond).</summary>
    public int MaxHeaderSectionLength { get; init; } = 16384;

    /// <summary>Most empty lines skipped before a request line (RFC 9112 2.2 asks for at least one).</summary>
    public int MaxLeadingEmptyLines { get; init; } = 4;

    /// <summary>Host names (no port) that an absolute-form target may name; compared without case.
    /// Empty: absolute-form targets are accepted for any host.</summary>
    public IReadOnlyList<string> ServiceHosts { get; init; } = [];

    /// <summary>The port the service listens on; an absolute-form target naming another port is misdirected (421).</summary>
    public int ServicePort { get; init; } = 80;

    /// <summary>The defaults.</summary>
    public static HttpParserOptions Default { get; } = new();
}
