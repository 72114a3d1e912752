namespace Atcp.Frontend.Http;

/// <summary>Reason phrases of the status codes this server sends (RFC 9110 15).</summary>
public static class HttpStatus
{
    /// <summary>The methods allowed on every resource, for Allow (RFC 9110 10.2.1).</summary>
    public const string AllowedMethods = "GET, HEAD, OPTIONS";

    /// <summary>The reason phrase for <paramref name="status"/> ("Unknown" for codes we never send).</summary>
    public static string Reason(int status) => status switch
    {
        100 => "Continue",
        200 => "OK",
        206 => "Partial Content",
        301 => "Moved Permanently",
        304 => "Not Modified",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        412 => "Precondition Failed",
        413 => "Content Too Large",
        414 => "URI Too Long",
        416 => "Range Not Satisfiable",
        417 => "Expectation Failed",
        421 => "Misdirected Request",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        503 => "Service Unavailable",
        505 => "HTTP Version Not Supported",
        _ => "Unknown",
    };

    /// <summary>True if a response with this status never has content (RFC 9110 6.4.1: 1xx, 204, 304).</summary>
    public static bool HasNoContent(int status) => status < 200 || status == 204 || status == 304;
}
