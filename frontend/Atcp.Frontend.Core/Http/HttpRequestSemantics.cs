namespace Atcp.Frontend.Http;

/// <summary>Turns a syntactically complete request head into a request or a refusal: message
/// framing (RFC 9112 6), Host (RFC 9112 3.2), method, Expect (RFC 9110 10.1.1), target form and
/// persistence (RFC 9112 9.3). The checks run in a fixed order, documented in Http/README.md.</summary>
internal static class HttpRequestSemantics
{
    /// <summary>Methods registered in RFC 9110 and WebDAV that we know and refuse with 405.</summary>
    static readonly string[] KnownMethods =
        ["POST", "PUT", "DELETE", "PATCH", "TRACE", "CONNECT", "PROPFIND", "PROPPATCH", "MKCOL", "COPY", "MOVE", "LOCK", "UNLOCK"];

    /// <summary>Classifies a method token; methods are case-sensitive (RFC 9110 9.1).</summary>
    public static RequestMethod Classify(string method) => method switch
    {
        "GET" => RequestMethod.Get,
        "HEAD" => RequestMethod.Head,
        "OPTIONS" => RequestMethod.Options,
        _ => Array.IndexOf(KnownMethods, method) >= 0 ? RequestMethod.NotAllowed : RequestMethod.Unknown,
    };

    sealed class Fields
    {
        public int HostLines;
        public string? Host, ContentLength, TransferEncoding, Connection, Expect;
        public string? Range, IfNoneMatch, IfMatch, IfModifiedSince, IfUnmodifiedSince, IfRange, UserAgent;
        public int ContentLengthLines;
    }

    public static HttpParseResult Interpret(ReadOnlySpan<byte> s, RequestLineOffsets line, List<HttpFieldLine> lines,
                                            int consumed, HttpParserOptions options)
    {
        string methodName = HttpSyntax.Latin1(s[line.MethodStart..line.MethodEnd]);
        RequestMethod method = Classify(methodName);
        bool isHead = method == RequestMethod.Head;
        Fields f = Collect(s, lines);

        HttpParseResult Fail(int status, string detail, bool close) =>
            HttpParseResult.Failed(new HttpParseError(status, detail, close, isHead), consumed);

        // Framing first: if we cannot tell where this request ends, nothing after it can be read.
        bool hasBody = false;
        if (f.TransferEncoding != null)
        {
            if (f.ContentLength != null) return Fail(400, "Transfer-Encoding together with Content-Length", true);
            if (line.Version == HttpVersion.Http10) return Fail(400, "Transfer-Encoding in an HTTP/1.0 request", true);
            int teStatus = CheckTransferEncoding(f.TransferEncoding, out string teDetail);
            if (teStatus != 0) return Fail(teStatus, teDetail, true);
            hasBody = true;
        }
        else if (f.ContentLength != null)
        {
            if (f.ContentLengthLines > 1 || f.ContentLength.Contains(','))
                return Fail(400, "more than one Content-Length value", true);
            if (!TryParseContentLength(f.ContentLength, out long length)) return Fail(400, "malformed Content-Length", true);
            hasBody = length > 0;
        }

        bool keepAlive = IsPersistent(line.Version, f.Connection);

        if (f.HostLines > 1) return Fail(400, "more than one Host field", true);
        if (f.Host == null && line.Version == HttpVersion.Http11) return Fail(400, "HTTP/1.1 request without Host", true);
        if (f.Host != null && !HttpTargetSyntax.TryParseAuthority(System.Text.Encoding.Latin1.GetBytes(f.Host), allowEmptyHost: true, out _))
            return Fail(400, "malformed Host", true);

        // Refusals of a well-framed request keep the connection unless it carries a body we will not read.
        bool closeOnRefusal = hasBody || !keepAlive;
        if (method == RequestMethod.Unknown) return Fail(501, "method not implemented: " + methodName, closeOnRefusal);
        if (method == RequestMethod.NotAllowed) return Fail(405, "method not allowed: " + methodName, closeOnRefusal);
        if (hasBody) return Fail(413, "a " + methodName + " request with a body", true);

        bool expectContinue = false;
        if (f.Expect != null && line.Version == HttpVersion.Http11)
        {
            if (!HttpSyntax.EqualsIgnoreCase(f.Expect, "100-continue")) return Fail(417, "unsupported expectation", closeOnRefusal);
            expectContinue = true;
        }

        int targetStatus = HttpTargetSyntax.TryParse(s[line.TargetStart..line.TargetEnd], method, options,
                                                     out HttpTargetSyntax.Target target, out string targetDetail);
        if (targetStatus != 0) return Fail(targetStatus, targetDetail, targetStatus == 400 || closeOnRefusal);

        string? host = target.Authority is { } authority
            ? (authority.Port.Length > 0 ? authority.Host + ":" + authority.Port : authority.Host)
            : f.Host;
        var request = new HttpRequest
        {
            Method = method,
            MethodName = methodName,
            TargetForm = target.Form,
            Target = HttpSyntax.Latin1(s[line.TargetStart..line.TargetEnd]),
            RawPath = target.RawPath,
            Query = target.Query,
            Version = line.Version,
            Host = host,
            Range = f.Range,
            IfNoneMatch = f.IfNoneMatch,
            IfMatch = f.IfMatch,
            IfModifiedSince = f.IfModifiedSince,
            IfUnmodifiedSince = f.IfUnmodifiedSince,
            IfRange = f.IfRange,
            Connection = f.Connection,
            UserAgent = f.UserAgent,
            ExpectContinue = expectContinue,
            KeepAlive = keepAlive,
        };
        return HttpParseResult.Complete(request, consumed);
    }

    static Fields Collect(ReadOnlySpan<byte> s, List<HttpFieldLine> lines)
    {
        var f = new Fields();
        foreach (HttpFieldLine field in lines)
        {
            ReadOnlySpan<byte> name = s.Slice(field.NameStart, field.NameLength);
            string value = HttpSyntax.Latin1(s.Slice(field.ValueStart, field.ValueLength));
            if (Is(name, "host"u8)) { f.HostLines++; f.Host = value; }
            else if (Is(name, "content-length"u8)) { f.ContentLengthLines++; f.ContentLength = Join(f.ContentLength, value); }
            else if (Is(name, "transfer-encoding"u8)) f.TransferEncoding = Join(f.TransferEncoding, value);
            else if (Is(name, "connection"u8)) f.Connection = Join(f.Connection, value);
            else if (Is(name, "expect"u8)) f.Expect = Join(f.Expect, value);
            else if (Is(name, "range"u8)) f.Range = Join(f.Range, value);
            else if (Is(name, "if-none-match"u8)) f.IfNoneMatch = Join(f.IfNoneMatch, value);
            else if (Is(name, "if-match"u8)) f.IfMatch = Join(f.IfMatch, value);
            else if (Is(name, "if-modified-since"u8)) f.IfModifiedSince = Join(f.IfModifiedSince, value);
            else if (Is(name, "if-unmodified-since"u8)) f.IfUnmodifiedSince = Join(f.IfUnmodifiedSince, value);
            else if (Is(name, "if-range"u8)) f.IfRange = Join(f.IfRange, value);
            else if (Is(name, "user-agent"u8)) f.UserAgent = Join(f.UserAgent, value);
        }
        return f;
    }

    static bool Is(ReadOnlySpan<byte> name, ReadOnlySpan<byte> lowercase) => System.Text.Ascii.EqualsIgnoreCase(name, lowercase);

    // RFC 9110 5.3: field lines of one name combine into a comma-separated list in order.
    static string Join(string? existing, string value) => existing == null ? value : existing + ", " + value;

    /// <summary>Content-Length = 1*DIGIT (RFC 9110 8.6); no sign, no spaces inside, no overflow.</summary>
    static bool TryParseContentLength(string value, out long length)
    {
        length = 0;
        if (value.Length == 0 || value.Length > 18) return false;
        foreach (char c in value)
        {
            if (c < '0' || c > '9') return false;
            length = length * 10 + (c - '0');
        }
        return true;
    }

    /// <summary>RFC 9112 6.1 and 6.3: chunked must be the final coding and appear once (400 otherwise);
    /// a coding we do not know is a 501. Returns 0 if the body is validly chunked.</summary>
    static int CheckTransferEncoding(string value, out string detail)
    {
        detail = "";
        int chunkedCount = 0;
        string? last = null;
        bool unknown = false;
        foreach (string rawMember in value.Split(','))
        {
            ReadOnlySpan<char> member = HttpSyntax.TrimOws(rawMember);
            if (member.IsEmpty) continue; // RFC 9110 5.6.1: empty list elements are ignored
            int semicolon = member.IndexOf(';');
            ReadOnlySpan<char> coding = HttpSyntax.TrimOws(semicolon < 0 ? member : member[..semicolon]);
            if (!HttpSyntax.IsToken(coding)) { detail = "malformed Transfer-Encoding"; return 400; }
            if (HttpSyntax.EqualsIgnoreCase(coding, "chunked"))
            {
                chunkedCount++;
                if (semicolon >= 0) { detail = "parameters on chunked"; return 400; }
            }
            else unknown = true;
            last = coding.ToString();
        }
        if (last == null) { detail = "empty Transfer-Encoding"; return 400; }
        if (!string.Equals(last, "chunked", StringComparison.OrdinalIgnoreCase)) { detail = "chunked is not the final transfer coding"; return 400; }
        if (chunkedCount > 1) { detail = "chunked applied more than once"; return 400; }
        if (unknown) { detail = "transfer coding not implemented"; return 501; }
        return 0;
    }

    /// <summary>RFC 9112 9.3: "close" ends the connection; HTTP/1.0 persists only with "keep-alive".</summary>
    static bool IsPersistent(HttpVersion version, string? connection)
    {
        bool close = false, keepAlive = false;
        if (connection != null)
        {
            foreach (string member in connection.Split(','))
            {
                ReadOnlySpan<char> option = HttpSyntax.TrimOws(member);
                if (HttpSyntax.EqualsIgnoreCase(option, "close")) close = true;
                else if (HttpSyntax.EqualsIgnoreCase(option, "keep-alive")) keepAlive = true;
            }
        }
        if (close) return false;
        return version == HttpVersion.Http11 || keepAlive;
    }
}
