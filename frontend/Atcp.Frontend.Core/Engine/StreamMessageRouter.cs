using Atcp.Wire.Atcp;

namespace Atcp.Frontend.Engine;

/// <summary>Sends the boards' stream messages to the owner of the stream id: TFTP streams to the
/// <see cref="TftpDispatcher"/>, everything else to the <see cref="HttpDispatcher"/>. Both draw ids
/// from one allocator, so an id has one owner.</summary>
sealed class StreamMessageRouter(HttpDispatcher http, TftpDispatcher? tftp) : IStreamMessages
{
    public void OnServiceAck(ushort board, AtcpServiceAckRepr ack, long now)
    {
        if (tftp != null && tftp.Owns(ack.StreamId)) tftp.OnServiceAck(board, ack, now);
        else http.OnServiceAck(board, ack, now);
    }

    public void OnDone(ushort board, AtcpDoneRepr done, long now)
    {
        if (tftp != null && tftp.Owns(done.StreamId)) tftp.OnDone(board, done.StreamId, now);
        else http.OnDone(board, done, now);
    }

    public void OnAbort(ushort board, AtcpAbortRepr abort, long now)
    {
        if (tftp != null && (abort.StreamId == 0 || tftp.Owns(abort.StreamId))) tftp.OnAbort(board, abort.StreamId, abort.Reason, now);
        if (tftp == null || abort.StreamId == 0 || !tftp.Owns(abort.StreamId)) http.OnAbort(board, abort, now);
    }

    public void OnBoardLost(ushort board, string why, long now)
    {
        tftp?.OnBoardLost(board, now);
        http.OnBoardLost(board, why, now);
    }

    public void OnInventoryChanged(long now) => http.OnInventoryChanged(now);
}
