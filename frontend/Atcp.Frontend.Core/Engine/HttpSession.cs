using Atcp.Frontend.Http;
using Atcp.Frontend.Net;

namespace Atcp.Frontend.Engine;

/// <summary>Per-connection HTTP state: unparsed request bytes, answers waiting their turn (responses
/// leave in request order), and the one delegated reply in progress (SPEC 6.1.8).</summary>
public sealed class HttpSession
{
    internal HttpSession(TcpConnection connection, HttpParserOptions parserOptions)
    {
        Connection = connection;
        Parser = new HttpRequestParser(parserOptions);
    }

    /// <summary>The client connection.</summary>
    public TcpConnection Connection { get; }
    internal HttpRequestParser Parser { get; private set; }
    internal byte[] Pending = new byte[4096];
    internal int PendingLength;
    internal readonly Queue<HttpDecision> Answers = new();
    /// <summary>The reply a board is sending now, if any.</summary>
    public DelegatedStream? Active { get; internal set; }
    /// <summary>True once an answer asked to close the connection: nothing more is parsed.</summary>
    public bool Closing { get; internal set; }
    /// <summary>Requests answered on this connection.</summary>
    public int Requests { get; internal set; }

    // The connection's last delegated reply that completed: the congestion window its board last
    // reported for it (-1: none), and when it ended (SPEC 5.1, initial window).
    internal long LastReplyWindow = -1;
    internal long LastReplyEndedMs;

    internal void Append(ReadOnlySpan<byte> bytes)
    {
        if (PendingLength + bytes.Length > Pending.Length)
            Array.Resize(ref Pending, Math.Max(Pending.Length * 2, PendingLength + bytes.Length));
        bytes.CopyTo(Pending.AsSpan(PendingLength));
        PendingLength += bytes.Length;
    }

    internal void ConsumePending(int n, HttpParserOptions options)
    {
        Array.Copy(Pending, n, Pending, 0, PendingLength - n);
        PendingLength -= n;
        Parser = new HttpRequestParser(options); // the parser remembers progress within one request
    }
}
