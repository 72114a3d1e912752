namespace Atcp.Frontend.Http;

/// <summary>What the preconditions of a request say (RFC 9110 13.2.2).</summary>
public enum ConditionOutcome
{
    /// <summary>No precondition stops the request.</summary>
    Proceed,
    /// <summary>304: the client's copy is current (If-None-Match / If-Modified-Since).</summary>
    NotModified,
    /// <summary>412: If-Match or If-Unmodified-Since failed.</summary>
    PreconditionFailed,
}

/// <summary>Conditional request evaluation (RFC 9110 13.1, in the order of 13.2.2) against the
/// validators the inventory gives: an entity-tag and a modification time, either possibly absent.</summary>
public static class HttpConditions
{
    /// <summary>Evaluates If-Match, If-Unmodified-Since, If-None-Match and If-Modified-Since for a
    /// GET or HEAD of an existing object.</summary>
    public static ConditionOutcome Evaluate(HttpRequest request, EntityTag? etag, DateTimeOffset? lastModified, DateTimeOffset now)
    {
        if (request.IfMatch != null)
        {
            // 13.1.1: "*" holds for any existing representation; otherwise a strong match is needed.
            // A malformed list cannot match: failing is the safe answer to a precondition.
            if (!EntityTag.TryParseList(request.IfMatch, out bool any, out var tags)) return ConditionOutcome.PreconditionFailed;
            if (!any && !(etag is { } current && tags.Exists(t => t.StrongEquals(current)))) return ConditionOutcome.PreconditionFailed;
        }
        else if (request.IfUnmodifiedSince != null && lastModified is { } lm1 && HttpDate.TryParse(request.IfUnmodifiedSince, now, out DateTimeOffset ius))
        {
            // 13.1.4: ignored if not a valid date or the object has no modification time.
            if (HttpDate.TruncateToSeconds(lm1) > ius) return ConditionOutcome.PreconditionFailed;
        }

        if (request.IfNoneMatch != null)
        {
            // 13.1.2: weak comparison; a malformed field is ignored (the full answer is always safe).
            if (EntityTag.TryParseList(request.IfNoneMatch, out bool any, out var tags) &&
                (any || (etag is { } current && tags.Exists(t => t.WeakEquals(current)))))
                return ConditionOutcome.NotModified;
        }
        else if (request.IfModifiedSince != null && lastModified is { } lm2 && HttpDate.TryParse(request.IfModifiedSince, now, out DateTimeOffset ims))
        {
            // 13.1.3: unmodified since the given date (at one-second precision) -> 304.
            if (HttpDate.TruncateToSeconds(lm2) <= ims) return ConditionOutcome.NotModified;
        }
        return ConditionOutcome.Proceed;
    }

    /// <summary>If-Range (13.1.5): true if the Range may be honoured. An entity-tag must match strongly;
    /// a date must equal Last-Modified exactly and that time must be a strong validator, i.e. at least
    /// 60 seconds before <paramref name="now"/> (8.8.2.2). Anything else means "send it all".</summary>
    public static bool IfRangeHolds(string? ifRange, EntityTag? etag, DateTimeOffset? lastModified, DateTimeOffset now)
    {
        if (ifRange == null) return true;
        string value = ifRange.Trim(' ', '\t');
        if (value.StartsWith('"') || value.StartsWith("W/", StringComparison.Ordinal))
            return EntityTag.TryParse(value, out EntityTag wanted) && etag is { } current && wanted.StrongEquals(current);
        if (!HttpDate.TryParse(value, now, out DateTimeOffset date) || lastModified is not { } lm) return false;
        DateTimeOffset modified = HttpDate.TruncateToSeconds(lm);
        return modified == date && modified <= now - TimeSpan.FromSeconds(60);
    }
}
