using Atcp.Wire.Atcp;

namespace Atcp.Frontend.Tftp;

/// <summary>Something the caller must do after feeding the <see cref="TftpServer"/>; actions come in
/// the order they must be carried out.</summary>
public abstract record TftpAction;

/// <summary>Send Payload as one UDP datagram from the service address, port FromPort, to the client.</summary>
public sealed record TftpSendDatagram(ushort FromPort, uint ClientIp, ushort ClientPort, byte[] Payload) : TftpAction;

/// <summary>A session began: listen on TransferPort of the service address until its
/// <see cref="TftpSessionEnded"/> (the client's ACKs arrive there).</summary>
public sealed record TftpSessionStarted(uint StreamId, ushort TransferPort, uint ClientIp, ushort ClientPort, string Filename) : TftpAction;

/// <summary>Send COMMAND_UDP for this transfer to a board holding the file (SPEC.md 5.2, 6.2).</summary>
public sealed record TftpDelegate(TftpTransfer Transfer) : TftpAction;

/// <summary>Send DATAGRAM_ACK(StreamId, Block) to the board running the stream (Block unwrapped).</summary>
public sealed record TftpRelayAck(uint StreamId, uint Block) : TftpAction;

/// <summary>Send ABORT(StreamId, Reason) to the board running the stream (SPEC.md 6.5: three times).</summary>
public sealed record TftpAbortStream(uint StreamId, AtcpAbortReason Reason) : TftpAction;

/// <summary>The session is over: stop listening on TransferPort; the stream id is free.</summary>
public sealed record TftpSessionEnded(uint StreamId, ushort TransferPort, TftpEndReason Reason) : TftpAction;

/// <summary>Why a session ended.</summary>
public enum TftpEndReason
{
    /// <summary>The board reported DONE, or the client acknowledged the last block.</summary>
    Completed,
    /// <summary>The client sent an ERROR (for example refusing the OACK).</summary>
    ClientError,
    /// <summary>The client sent a packet that makes no sense in the session.</summary>
    IllegalOperation,
    /// <summary>No ACK of the OACK after every retransmission, or no sign of life from the client.</summary>
    Timeout,
    /// <summary>The board aborted the stream.</summary>
    BoardAborted,
    /// <summary>The board refused the COMMAND_UDP.</summary>
    BoardRejected,
}

/// <summary>Everything the dispatcher needs for COMMAND_UDP except what only it knows (MACs, TTL,
/// board, volume, object name and opcode: from <see cref="File"/>'s location).</summary>
/// <param name="StreamId">Stream id of the session, never 0.</param>
/// <param name="ClientIp">Destination of the DATA packets (host-order number of the address).</param>
/// <param name="ClientPort">Destination port: the client's TID.</param>
/// <param name="ServiceIp">Source of the DATA packets: the front-end's service address.</param>
/// <param name="TransferPort">Source port: the server's TID chosen for this session.</param>
/// <param name="File">The file, from the catalog.</param>
/// <param name="BlockSize">Negotiated block size.</param>
/// <param name="WindowSize">Negotiated window size.</param>
/// <param name="RetransmitTimeoutMs">The board's retransmit timeout.</param>
/// <param name="MaxRetransmissions">Window resends before the board gives up.</param>
public sealed record TftpTransfer(uint StreamId, uint ClientIp, ushort ClientPort, uint ServiceIp, ushort TransferPort,
    TftpFile File, int BlockSize, int WindowSize, int RetransmitTimeoutMs, int MaxRetransmissions)
{
    /// <summary>TFTP's first DATA block.</summary>
    public const ushort FirstBlock = 1;

    /// <summary>Number of the last DATA block (unwrapped): TFTP ends with a short, possibly empty, block.</summary>
    public uint LastBlock => (uint)(File.Size / BlockSize + 1);

    /// <summary>Writes the fields this transfer decides into a COMMAND_UDP repr: stream id,
    /// addresses, ports, TftpData framing, block and window size, first block 1, timeout,
    /// retransmissions and the whole file as the range. The caller sets MACs, TTL, opcode, volume and name.</summary>
    public void FillCommand(AtcpCommandUdpRepr command)
    {
        command.StreamId = StreamId;
        command.ClientAddress = ClientIp;
        command.ClientPort = ClientPort;
        command.ServiceAddress = ServiceIp;
        command.ServicePort = TransferPort;
        command.Framing = AtcpDatagramFraming.TftpData;
        command.BlockSize = (ushort)BlockSize;
        command.WindowSize = (ushort)WindowSize;
        command.FirstBlock = FirstBlock;
        command.RetransmitTimeoutMs = (ushort)RetransmitTimeoutMs;
        command.MaxRetransmissions = (byte)MaxRetransmissions;
        command.RangeOffset = 0;
        command.RangeLength = (ulong)File.Size;
    }
}
