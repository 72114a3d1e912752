namespace Atcp.Frontend.Http;

/// <summary>What one call of <see cref="HttpRequestParser.Parse"/> found.</summary>
public enum HttpParseOutcome
{
    /// <summary>No complete request yet and nothing wrong so far: keep the bytes, wait for more.</summary>
    Incomplete,
    /// <summary>A complete, valid request: <see cref="HttpParseResult.Request"/>.</summary>
    Request,
    /// <summary>The request is refused: <see cref="HttpParseResult.Error"/> says how to answer.</summary>
    Error,
}

/// <summary>A refused request: the status to answer with, why, and what to do with the connection.</summary>
/// <param name="StatusCode">The response status (400, 405, 413, 414, 417, 421, 431, 501, 505).</param>
/// <param name="Detail">Why, for logs and tests; never sent to the client.</param>
/// <param name="MustClose">True if the connection must close after the error response: the
/// request's framing cannot be trusted, a body was announced that we will not read, or the client
/// asked for close.</param>
/// <param name="IsHead">True if the request was recognisably a HEAD: the error response then has no body.</param>
public sealed record HttpParseError(int StatusCode, string Detail, bool MustClose, bool IsHead = false)
{
    /// <summary>The status's reason phrase, as the response's status line gives it.</summary>
    public string Reason => HttpStatus.Reason(StatusCode);
}

/// <summary>The answer of <see cref="HttpRequestParser.Parse"/>: incomplete, a request, or an error,
/// with the number of bytes the request occupied.</summary>
public readonly record struct HttpParseResult
{
    /// <summary>Which of the three cases this is.</summary>
    public HttpParseOutcome Outcome { get; private init; }

    /// <summary>The request when <see cref="Outcome"/> is Request.</summary>
    public HttpRequest? Request { get; private init; }

    /// <summary>The refusal when <see cref="Outcome"/> is Error.</summary>
    public HttpParseError? Error { get; private init; }

    /// <summary>Bytes the request (and any empty lines before it) occupied: drop them before parsing
    /// the next pipelined request. Zero when incomplete; for an error that does not close the
    /// connection, the length of the refused request's header section.</summary>
    public int Consumed { get; private init; }

    /// <summary>No complete request yet.</summary>
    public static HttpParseResult Incomplete => default;

    /// <summary>A complete request of <paramref name="consumed"/> bytes.</summary>
    public static HttpParseResult Complete(HttpRequest request, int consumed) =>
        new() { Outcome = HttpParseOutcome.Request, Request = request, Consumed = consumed };

    /// <summary>A refused request.</summary>
    public static HttpParseResult Failed(HttpParseError error, int consumed) =>
        new() { Outcome = HttpParseOutcome.Error, Error = error, Consumed = consumed };

    /// <summary>A short description for logs and test failure messages.</summary>
    public override string ToString() => Outcome switch
    {
        HttpParseOutcome.Request => $"Request {Request!.MethodName} {Request.Target} ({Consumed} bytes)",
        HttpParseOutcome.Error => $"Error {Error!.StatusCode} {Error.Detail} close={Error.MustClose} ({Consumed} bytes)",
        _ => "Incomplete",
    };
}
