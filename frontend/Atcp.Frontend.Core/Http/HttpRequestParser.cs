namespace Atcp.Frontend.Http;

/// <summary>Incremental, strict HTTP/1.1 request reader (RFC 9112 2-5). One instance per
/// connection. The caller keeps the connection's unconsumed bytes and passes all of them on every
/// call; the parser remembers how far it has checked, so each byte is examined once however the
/// request is split. Every refusal is found at a byte position while scanning in order, so the
/// answer for a request does not depend on how its bytes were split across calls.</summary>
/// <remarks>Line endings must be CRLF: a bare LF is refused (400) rather than tolerated, so that no
/// two readers of the same bytes can disagree about where a line ends (RFC 9112 2.2 permits both).</remarks>
public sealed class HttpRequestParser
{
    enum State
    {
        LineStart, LeadingLf, Method, TargetStart, Target, Version, RequestLineLf,
        FieldLineStart, FieldName, FieldValueLeadingWhitespace, FieldValue, FieldLineLf, EndLf,
    }

    static ReadOnlySpan<byte> VersionPattern => "HTTP/#.#"u8;

    readonly HttpParserOptions _options;
    readonly List<HttpFieldLine> _fields = [];
    State _state;
    int _scanned;          // bytes of the pending buffer already checked
    int _emptyLines;       // CRLFs skipped before the request line
    int _lineStart;        // offset of the current line's first byte
    int _methodStart, _methodEnd, _targetStart, _targetEnd;
    int _versionIndex;
    int _fieldSectionStart;
    int _nameStart, _nameEnd, _valueStart, _valueEnd;
    HttpVersion _version;
    bool _isHead;

    /// <summary>A parser with the given limits (the defaults if null).</summary>
    public HttpRequestParser(HttpParserOptions? options = null)
    {
        _options = options ?? HttpParserOptions.Default;
    }

    /// <summary>Bytes already checked in the current request; the next call must pass at least these again.</summary>
    public int Scanned => _scanned;

    /// <summary>Forgets any partial request (for example when the connection is reused by a new client).</summary>
    public void Reset()
    {
        _state = State.LineStart;
        _scanned = _emptyLines = _lineStart = 0;
        _methodStart = _methodEnd = _targetStart = _targetEnd = _versionIndex = 0;
        _fieldSectionStart = _nameStart = _nameEnd = _valueStart = _valueEnd = 0;
        _isHead = false;
        _fields.Clear();
    }

    /// <summary>Parses one request from a fresh buffer (tests and one-shot callers).</summary>
    public static HttpParseResult ParseOnce(ReadOnlySpan<byte> bytes, HttpParserOptions? options = null) =>
        new HttpRequestParser(options).Parse(bytes);

    /// <summary>Reads the first request of <paramref name="pending"/>: all unconsumed bytes of the
    /// connection, which must begin with the bytes passed in earlier calls since the last
    /// non-Incomplete result. After a Request or Error result the parser is ready for the next
    /// request, which starts <see cref="HttpParseResult.Consumed"/> bytes into the buffer.</summary>
    public HttpParseResult Parse(ReadOnlySpan<byte> pending)
    {
        if (pending.Length < _scanned)
            throw new ArgumentException("pending bytes must include those passed before (" + _scanned + ")", nameof(pending));
        HttpParseResult result = Scan(pending);
        if (result.Outcome != HttpParseOutcome.Incomplete) Reset();
        return result;
    }

    HttpParseResult Scan(ReadOnlySpan<byte> s)
    {
        for (int i = _scanned; i < s.Length; i++)
        {
            byte b = s[i];
            if (_state >= State.FieldLineStart && i - _fieldSectionStart >= _options.MaxHeaderSectionLength)
                return Fail(i, 431, "header section too large");
            switch (_state)
            {
                case State.LineStart:
                    if (b == '\r') { _state = State.LeadingLf; break; }
                    if (b == '\n') return Fail(i, 400, "bare LF before the request line");
                    if (!HttpSyntax.IsTokenChar(b)) return Fail(i, 400, "request line does not start with a method token");
                    _lineStart = _methodStart = i;
                    _state = State.Method;
                    break;

                case State.LeadingLf:
                    if (b != '\n') return Fail(i, 400, "CR without LF before the request line");
                    if (++_emptyLines > _options.MaxLeadingEmptyLines) return Fail(i, 400, "too many empty lines before the request line");
                    _state = State.LineStart;
                    break;

                case State.Method:
                    if (b == ' ')
                    {
                        _methodEnd = i;
                        _isHead = s[_methodStart..i].SequenceEqual("HEAD"u8);
                        _state = State.TargetStart;
                        break;
                    }
                    if (!HttpSyntax.IsTokenChar(b)) return Fail(i, 400, "invalid character in the method");
                    if (i - _methodStart >= _options.MaxMethodLength) return Fail(i, 501, "method longer than any we implement");
                    break;

                case State.TargetStart:
                    if (b == ' ') return Fail(i, 400, "more than one space after the method");
                    if (b == '\r' || b == '\n') return Fail(i, 400, "request line without a target and version");
                    _targetStart = i;
                    _state = State.Target;
                    goto case State.Target;

                case State.Target:
                    if (i - _lineStart >= _options.MaxRequestLineLength) return Fail(i, 414, "request target too long");
                    if (b == ' ') { _targetEnd = i; _versionIndex = 0; _state = State.Version; break; }
                    if (b == '\r' || b == '\n') return Fail(i, 400, "request line without a version (HTTP/0.9 is not served)");
                    if (!HttpTargetSyntax.IsTargetByte(b)) return Fail(i, 400, "invalid character in the request target");
                    break;

                case State.Version:
                    // Method and version are short and bounded: a line this long is long because of its target.
                    if (b != '\r' && i - _lineStart >= _options.MaxRequestLineLength) return Fail(i, 414, "request target too long");
                    if (_versionIndex == VersionPattern.Length)
                    {
                        if (b != '\r') return Fail(i, 400, "junk after the protocol version");
                        _state = State.RequestLineLf;
                        break;
                    }
                    byte expected = VersionPattern[_versionIndex];
                    bool ok = expected == '#' ? b >= '0' && b <= '9' : b == expected;
                    if (!ok) return Fail(i, 400, "malformed protocol version");
                    _versionIndex++;
                    break;

                case State.RequestLineLf:
                {
                    if (b != '\n') return Fail(i, 400, "CR without LF after the request line");
                    int major = s[_targetEnd + 6] - '0', minor = s[_targetEnd + 8] - '0';
                    // RFC 9110 2.5: a higher 1.x minor version is read as the highest we implement.
                    if (major != 1) return Fail(i, 505, "HTTP major version " + major + " is not supported");
                    _version = minor == 0 ? HttpVersion.Http10 : HttpVersion.Http11;
                    _fieldSectionStart = _lineStart = i + 1;
                    _state = State.FieldLineStart;
                    break;
                }

                case State.FieldLineStart:
                    _lineStart = i;
                    if (b == '\r') { _state = State.EndLf; break; }
                    if (b == '\n') return Fail(i, 400, "bare LF in the header section");
                    if (b == ' ' || b == '\t')
                        return Fail(i, 400, _fields.Count == 0 ? "whitespace before the first header field" : "obsolete line folding (obs-fold)");
                    if (b == ':') return Fail(i, 400, "header field with an empty name");
                    if (!HttpSyntax.IsTokenChar(b)) return Fail(i, 400, "invalid character in a header field name");
                    if (_fields.Count >= _options.MaxHeaderCount) return Fail(i, 431, "too many header fields");
                    _nameStart = i;
                    _state = State.FieldName;
                    break;

                case State.FieldName:
                    if (b != '\r' && i - _lineStart >= _options.MaxHeaderLineLength) return Fail(i, 431, "header field line too long");
                    if (b == ':') { _nameEnd = i; _state = State.FieldValueLeadingWhitespace; break; }
                    if (b == ' ' || b == '\t') return Fail(i, 400, "whitespace between a header field name and the colon");
                    if (b == '\r' || b == '\n') return Fail(i, 400, "header field line without a colon");
                    if (!HttpSyntax.IsTokenChar(b)) return Fail(i, 400, "invalid character in a header field name");
                    break;

                case State.FieldValueLeadingWhitespace:
                    if (b != '\r' && i - _lineStart >= _options.MaxHeaderLineLength) return Fail(i, 431, "header field line too long");
                    if (b == ' ' || b == '\t') break;
                    if (b == '\r') { _valueStart = _valueEnd = i; _state = State.FieldLineLf; break; }
                    _valueStart = i;
                    _valueEnd = i + 1;
                    _state = State.FieldValue;
                    goto case State.FieldValue;

                case State.FieldValue:
                    if (b != '\r' && i - _lineStart >= _options.MaxHeaderLineLength) return Fail(i, 431, "header field line too long");
                    if (b == '\r') { _state = State.FieldLineLf; break; }
                    if (b == '\n') return Fail(i, 400, "bare LF in a header field");
                    if (!HttpSyntax.IsFieldValueChar(b)) return Fail(i, 400, "control character in a header field value");
                    if (b != ' ' && b != '\t') _valueEnd = i + 1;
                    break;

                case State.FieldLineLf:
                    if (b != '\n') return Fail(i, 400, "CR without LF in the header section");
                    _fields.Add(new HttpFieldLine(_nameStart, _nameEnd - _nameStart, _valueStart, _valueEnd - _valueStart));
                    _state = State.FieldLineStart;
                    break;

                case State.EndLf:
                    if (b != '\n') return Fail(i, 400, "CR without LF at the end of the header section");
                    return HttpRequestSemantics.Interpret(s, new RequestLineOffsets(
                        _methodStart, _methodEnd, _targetStart, _targetEnd, _version), _fields, i + 1, _options);
            }
        }
        _scanned = s.Length;
        return HttpParseResult.Incomplete;
    }

    HttpParseResult Fail(int at, int status, string detail)
    {
        // Before the end of the header section nothing can be trusted: always close.
        return HttpParseResult.Failed(new HttpParseError(status, detail, MustClose: true, _isHead), at + 1);
    }
}

/// <summary>Where one header field line's name and value lie in the request buffer (value trimmed of OWS).</summary>
internal readonly record struct HttpFieldLine(int NameStart, int NameLength, int ValueStart, int ValueLength);

/// <summary>Where the request line's parts lie in the request buffer, and the version read.</summary>
internal readonly record struct RequestLineOffsets(int MethodStart, int MethodEnd, int TargetStart, int TargetEnd, HttpVersion Version);
