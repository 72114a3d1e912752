namespace Atcp.Frontend.Engine;

/// <summary>What the dispatcher has done, for management (/metrics, /status) and tests.</summary>
public sealed class FrontendCounters
{
    /// <summary>Client connections accepted.</summary>
    public long Connections;
    /// <summary>Replies handed to boards.</summary>
    public long Delegated;
    /// <summary>Delegated replies the client fully acknowledged (DONE).</summary>
    public long Completed;
    /// <summary>Delegated replies aborted (board failure or ABORT).</summary>
    public long Aborted;
    /// <summary>Delegated replies cancelled because the connection ended first.</summary>
    public long Cancelled;
    /// <summary>Replies the front-end made itself.</summary>
    public long LocalReplies;
    /// <summary>Bytes of those replies.</summary>
    public long LocalBytes;
    /// <summary>Local replies that did not fit the send buffer (connection reset).</summary>
    public long LocalTruncated;
    /// <summary>Client ACKs for delegated ranges.</summary>
    public long ClientAcks;
    /// <summary>Client ACKs relayed to boards (one per CLIENT_ACK, one per CLIENT_ACKS entry).</summary>
    public long RelayedAcks;
    /// <summary>Frames those relays took (CLIENT_ACK and CLIENT_ACKS).</summary>
    public long RelayFrames;
    /// <summary>COMMANDs repeated for lack of a SERVICE_ACK.</summary>
    public long CommandRetries;
    /// <summary>COMMANDs a board refused.</summary>
    public long Refusals;
    /// <summary>Requests answered by the front-end because no board could serve them.</summary>
    public long BoardFailures;
    /// <summary>Board messages for streams that no longer exist.</summary>
    public long StaleBoardMessages;
    /// <summary>PATH_MTU messages relayed.</summary>
    public long PathMtuRelayed;
    /// <summary>Answers by status code.</summary>
    public readonly Dictionary<int, long> ByStatus = new();

    /// <summary>Counts an answer of status.</summary>
    public void Count(int status) => ByStatus[status] = ByStatus.GetValueOrDefault(status) + 1;
}
