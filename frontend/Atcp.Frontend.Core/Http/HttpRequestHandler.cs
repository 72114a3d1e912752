namespace Atcp.Frontend.Http;

/// <summary>The decision function: for a parsed request (or a parse error) and the catalog of objects,
/// either the response the front-end sends itself, or the header prefix and byte range a board sends.
/// Pure: the time is passed in and nothing is sent.</summary>
public sealed class HttpRequestHandler
{
    readonly IObjectCatalog _catalog;
    readonly HttpServerOptions _options;
    readonly HttpRouter _router;
    readonly HttpResponseBuilder _builder;

    /// <summary>A handler answering from <paramref name="catalog"/>.</summary>
    public HttpRequestHandler(IObjectCatalog catalog, HttpServerOptions? options = null)
    {
        _catalog = catalog;
        _options = options ?? HttpServerOptions.Default;
        _router = new HttpRouter(_options.Routes);
        _builder = new HttpResponseBuilder(_options.ServerName);
    }

    /// <summary>The decision for whatever the parser returned (Incomplete is not a decision: throws).</summary>
    public HttpDecision Decide(HttpParseResult result, DateTimeOffset now) => result.Outcome switch
    {
        HttpParseOutcome.Request => Decide(result.Request!, now),
        HttpParseOutcome.Error => DecideError(result.Error!, now),
        _ => throw new ArgumentException("an incomplete request has no answer yet", nameof(result)),
    };

    /// <summary>The error response for a refused request.</summary>
    public HttpDecision DecideError(HttpParseError error, DateTimeOffset now) =>
        HttpDecision.Local(error.StatusCode, _builder.BuildError(error.StatusCode, now, !error.MustClose, error.IsHead), error.MustClose);

    /// <summary>The answer to a valid request.</summary>
    public HttpDecision Decide(HttpRequest request, DateTimeOffset now)
    {
        bool keepAlive = request.KeepAlive;
        if (request.Method == RequestMethod.Options)
        {
            var head = new HttpResponseHead { StatusCode = 200, Date = now, ContentLength = 0, Allow = HttpStatus.AllowedMethods, KeepAlive = keepAlive };
            return HttpDecision.Local(200, _builder.Build(head), !keepAlive);
        }

        // 400s close the connection: a client sending such paths is not one to keep talking to.
        if (HttpPath.TryNormalize(request.RawPath, out NormalizedPath path, out _) != 0) return Error(request, 400, now, close: true);

        Route route = _router.Map(path);
        switch (route.Kind)
        {
            case RouteKind.NotFound:
                return Error(request, 404, now);
            case RouteKind.Index:
                var prefixes = new List<DirectoryEntry>();
                if (_options.Routes.DiskPrefix != null) prefixes.Add(new DirectoryEntry(_options.Routes.DiskPrefix, true));
                if (_options.Routes.CdPrefix != null) prefixes.Add(new DirectoryEntry(_options.Routes.CdPrefix, true));
                return Listing(request, path, prefixes, now);
            case RouteKind.VolumeList:
                if (!path.IsDirectory) return Redirect(request, path, now);
                return Listing(request, path, _catalog.Volumes.Select(v => new DirectoryEntry(v, true)).ToList(), now);
        }

        if (path.IsDirectory)
        {
            IReadOnlyList<DirectoryEntry>? entries = _catalog.List(route.Location);
            if (entries == null) return Error(request, 404, now);
            // The root listing links to the CD volumes too, so a browser can reach everything from "/".
            if (path.Segments.Count == 0 && _options.Routes.CdPrefix is { } cd && _catalog.Volumes.Count > 0)
                entries = [new DirectoryEntry(cd, true), .. entries.Where(e => e.Name != cd)];
            return Listing(request, path, entries, now);
        }
        ObjectInfo? info = _catalog.Find(route.Location);
        if (info == null)
            return _catalog.List(route.Location) != null ? Redirect(request, path, now) : Error(request, 404, now);
        return ServeObject(request, info, now);
    }

    HttpDecision ServeObject(HttpRequest request, ObjectInfo info, DateTimeOffset now)
    {
        bool keepAlive = request.KeepAlive;
        EntityTag? etag = info.ETag != null && EntityTag.TryParse(info.ETag, out EntityTag parsed) ? parsed : null;
        DateTimeOffset? lastModified = info.LastModified is { } lm ? HttpDate.TruncateToSeconds(lm) : null;
        string contentType = IsMediaType(info.ContentType) ? info.ContentType! : _options.DefaultContentType;
        long size = Math.Max(0, info.Length);

        var head = new HttpResponseHead
        {
            StatusCode = 200, Date = now, ETag = etag?.ToString(), LastModified = lastModified, KeepAlive = keepAlive,
        };
        switch (HttpConditions.Evaluate(request, etag, lastModified, now))
        {
            case ConditionOutcome.PreconditionFailed:
                return Error(request, 412, now);
            case ConditionOutcome.NotModified:
                // RFC 9110 15.4.5: 304 repeats the validators, carries no content and no Content-Length.
                return HttpDecision.Local(304, _builder.Build(head with { StatusCode = 304 }), !keepAlive);
        }

        head = head with { ContentType = contentType, AcceptRanges = true };
        var range = new ByteRange(0, size);
        // RFC 9110 14.2: Range is defined for GET only and is ignored for HEAD.
        RangeDecision decision = RangeDecision.Full;
        if (request.Method == RequestMethod.Get && request.Range != null &&
            HttpConditions.IfRangeHolds(request.IfRange, etag, lastModified, now))
            decision = ByteRanges.Resolve(request.Range, size, out range, _options.MaxRanges);

        if (decision == RangeDecision.Unsatisfiable)
        {
            byte[] response = _builder.BuildError(416, now, keepAlive, request.IsHead, contentRange: "bytes */" + size);
            return HttpDecision.Local(416, response, !keepAlive);
        }
        if (decision == RangeDecision.Partial)
            head = head with { StatusCode = 206, ContentRange = range.ToContentRange(size) };
        else
            range = new ByteRange(0, size);
        head = head with { ContentLength = range.Length };

        byte[] prefix = _builder.Build(head);
        if (request.IsHead)
        {
            return _options.DelegateHead
                ? HttpDecision.Delegate(head.StatusCode, prefix, !keepAlive, info, 0, 0)
                : HttpDecision.Local(head.StatusCode, prefix, !keepAlive);
        }
        if (range.Length == 0) return HttpDecision.Local(head.StatusCode, prefix, !keepAlive);
        return HttpDecision.Delegate(head.StatusCode, prefix, !keepAlive, info, range.Offset, range.Length);
    }

    HttpDecision Listing(HttpRequest request, NormalizedPath path, IReadOnlyList<DirectoryEntry> entries, DateTimeOffset now)
    {
        if (!_options.DirectoryListings) return Error(request, 403, now);
        var head = new HttpResponseHead { StatusCode = 200, Date = now, ContentType = HtmlPages.ContentType, KeepAlive = request.KeepAlive };
        byte[] body = HtmlPages.Listing(path, entries, _options.MaxListingEntries);
        return HttpDecision.Local(200, _builder.BuildWithBody(head, body, request.IsHead), !request.KeepAlive);
    }

    HttpDecision Redirect(HttpRequest request, NormalizedPath path, DateTimeOffset now)
    {
        // A directory named without its '/': send the client to the canonical directory URL, so the
        // listing's relative links resolve (as nginx and Apache do).
        string location = (path with { IsDirectory = true }).ToUriPath();
        return HttpDecision.Local(301, _builder.BuildError(301, now, request.KeepAlive, request.IsHead, location: location), !request.KeepAlive);
    }

    HttpDecision Error(HttpRequest request, int status, DateTimeOffset now, bool close = false)
    {
        bool keepAlive = request.KeepAlive && !close;
        return HttpDecision.Local(status, _builder.BuildError(status, now, keepAlive, request.IsHead), !keepAlive);
    }

    /// <summary>media-type = type "/" subtype *( OWS ";" OWS parameter ) (RFC 9110 8.3.1), parameter
    /// values tokens or quoted strings without escapes or controls.</summary>
    public static bool IsMediaType(string? value)
    {
        if (string.IsNullOrEmpty(value)) return false;
        string[] parts = value.Split(';');
        int slash = parts[0].IndexOf('/');
        if (slash < 0 || !HttpSyntax.IsToken(parts[0].AsSpan(0, slash)) || !HttpSyntax.IsToken(parts[0].AsSpan(slash + 1))) return false;
        for (int i = 1; i < parts.Length; i++)
        {
            ReadOnlySpan<char> p = HttpSyntax.TrimOws(parts[i]);
            int eq = p.IndexOf('=');
            if (eq <= 0 || !HttpSyntax.IsToken(p[..eq])) return false;
            ReadOnlySpan<char> v = p[(eq + 1)..];
            bool quoted = v.Length >= 2 && v[0] == '"' && v[^1] == '"' && v[1..^1].IndexOfAny('"', '\\') < 0 &&
                          !v[1..^1].ContainsAnyInRange('\0', '\x1f') && !v.Contains('\x7f') && !v.ContainsAnyExceptInRange('\0', '\xff');
            if (!quoted && !HttpSyntax.IsToken(v)) return false;
        }
        return true;
    }
}
