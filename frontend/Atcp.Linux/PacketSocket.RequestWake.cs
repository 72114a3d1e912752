using Atcp.Linux.Native;
using Atcp.Wire.Atcp;
using Atcp.Wire.Ethernet;

namespace Atcp.Linux;

// Requests end a batching pause. A second packet socket on the same interface, without a ring,
// carries a classic BPF filter that keeps every frame for this host except pure TCP ACKs (no
// SYN/FIN/RST, no payload, no options), bare RSTs and the boards' reports (see RequestFilter): a
// SYN, a GET, a FIN, an abort (RST+ACK) or an ARP makes it readable, the steady stream of client ACKs does not. An ACK with options wakes too: the front-end never negotiates timestamps, so its
// options are SACK blocks, a loss signal the ACK relay passes to the board at once (a pause would
// delay the board's fast retransmit). Pause() watches it, so a long pause under an ACK stream
// still lets a request through at once. The socket only signals: its frames are read and
// discarded (the ring has them too), at the start of every ReceiveBatch, before the ring is drained,
// so a signal left over after a round always belongs to a frame that round did not see (the
// recv() is skipped when no signal can be queued, see _signalsQueued).
public sealed unsafe partial class PacketSocket
{
    const int SignalReceiveBuffer = 4096; // a few frames; once full the socket just stays readable
    int _signalFd = -1;
    int _answerFd = -1; // the same signals plus the boards' SERVICE_ACK and DONE (BoardAnswerFilter)
    long _requestWakes;

    /// <summary>True once <see cref="WatchRequestsDuringPause"/> has been called.</summary>
    public bool PauseEndsOnRequest => _signalFd >= 0;

    /// <summary>Pauses ended early by a frame other than a pure TCP ACK.</summary>
    public long RequestWakes => Volatile.Read(ref _requestWakes);

    /// <summary>Makes <see cref="Pause"/> end early when a frame arrives that is not a pure TCP ACK
    /// (a SYN, FIN, RST+ACK, a segment with payload, or any non-TCP frame such as a board's message or
    /// ARP); pure ACKs and bare RSTs still collect in the ring. With endOnBoardAnswer a pause also
    /// ends on a board's SERVICE_ACK or DONE. Opens two more filtered packet sockets.</summary>
    public void WatchRequestsDuringPause()
    {
        ThrowIfDisposed();
        if (_signalFd >= 0) return;
        int signal = Open(RequestFilter);
        try
        {
            _answerFd = Open(BoardAnswerFilter);
        }
        catch
        {
            LibC.Close(signal);
            throw;
        }
        _signalFd = signal;
        _signalsQueued = true;

        int Open(SockFilter[] filter) =>
            Options.NetworkNamespace is { } ns ? NetNamespace.Invoke(ns, () => OpenSignalSocket(filter)) : OpenSignalSocket(filter);
    }

    int OpenSignalSocket(SockFilter[] filter)
    {
        int fd = LibC.Socket(LinuxConstants.AF_PACKET, LinuxConstants.SOCK_RAW | LinuxConstants.SOCK_CLOEXEC, 0);
        if (fd < 0) throw PacketSocketException.FromErrno("socket(AF_PACKET) for the request signal", LibC.Errno);
        try
        {
            TrySetInt(fd, LinuxConstants.SOL_PACKET, LinuxConstants.PACKET_IGNORE_OUTGOING, 1);
            SetInt(fd, LinuxConstants.SOL_SOCKET, LinuxConstants.SO_RCVBUF, SignalReceiveBuffer, "SO_RCVBUF");
            // The filter goes on before bind(), so no unfiltered frame is ever queued.
            SockFilter* program = stackalloc SockFilter[filter.Length];
            for (int i = 0; i < filter.Length; i++) program[i] = filter[i];
            var fprog = new SockFprog { Length = (ushort)filter.Length, Filter = program };
            if (LibC.SetSockOpt(fd, LinuxConstants.SOL_SOCKET, LinuxConstants.SO_ATTACH_FILTER, &fprog, (uint)sizeof(SockFprog)) != 0)
                throw PacketSocketException.FromErrno("setsockopt(SO_ATTACH_FILTER)", LibC.Errno);
            var address = new SockaddrLl
            {
                Family = LinuxConstants.AF_PACKET,
                Protocol = (ushort)System.Net.IPAddress.HostToNetworkOrder((short)LinuxConstants.ETH_P_ALL),
                IfIndex = InterfaceIndex,
            };
            if (LibC.Bind(fd, &address, (uint)sizeof(SockaddrLl)) != 0)
                throw PacketSocketException.FromErrno("bind() of the request signal to '" + InterfaceName + "'", LibC.Errno);
            return fd;
        }
        catch
        {
            LibC.Close(fd);
            throw;
        }
    }

    // Set when signals may be queued: a wait for frames slept (every frame then queues a signal) or a
    // signal ended a pause. Otherwise the socket is known empty (a pause that timed out saw it
    // unreadable) and the recv() is skipped: under an ACK stream most rounds end that way.
    bool _signalsQueued;

    // Reads and discards the signals queued so far (one recv() returning EAGAIN when none is). The
    // board-answer socket gets a copy of every SERVICE_ACK and DONE, which no wait tracks: it is
    // emptied every round (one more recv), so a pause that watches it never ends on an old answer.
    void DrainRequestSignals()
    {
        if (_signalFd < 0) return;
        Discard(_answerFd);
        if (!_signalsQueued) return;
        _signalsQueued = false;
        Discard(_signalFd);
    }

    void Discard(int fd)
    {
        byte* scratch = stackalloc byte[64];
        while (true)
        {
            _syscalls++;
            if (LibC.Recv(fd, scratch, 64, LinuxConstants.MSG_DONTWAIT | LinuxConstants.MSG_TRUNC) < 0) return;
        }
    }

    void CloseSignalSocket()
    {
        if (_signalFd < 0) return;
        LibC.Close(_signalFd);
        LibC.Close(_answerFd);
        _signalFd = _answerFd = -1;
    }

    // Classic BPF (Documentation/networking/filter.rst); the packet starts at the Ethernet header.
    // Accepts (keeps 64 bytes) everything but: frames for other hosts, our own output, IPv4 TCP
    // segments with none of FIN/SYN/RST, a 20-byte header (no options) and no payload (IP total
    // length - IP header - TCP header), RSTs without the ACK bit (a client's answer to a segment
    // for a socket it has closed: each board segment still in flight after an abort draws one, tens
    // in a burst, and the stream ends with the connection's first RST, a FIN or a missing ACK
    // anyway; a client aborting a connection sends RST+ACK, which wakes), and the boards' ATCP reports (EtherType 0x88B5,
    // firmware/Atcp.Wire/Atcp/SPEC.md): HELLO heartbeats (type 0x82), SERVICE_ACK (0x81: answers
    // to a COMMAND and progress reports) and DONE (0x84). Those are handled with the next batch like
    // ACKs: while one is awaited from a board that is not streaming steadily, the engine asks for no
    // pause at all (IFrontendEngine.TolerableAckWaitUs), and a busy board's answer waiting a pause
    // costs it nothing. ABORT, INVENTORY and anything unknown still end a pause.
    // Offsets and codes from the wire library, the one definition both sides use.
    const ushort AtcpEtherType = EtherType.Atcp;
    const int AtcpTypeOffset = AtcpFrame.HeaderOffset + AtcpHeader.MessageTypeOffset;
    const byte HelloType = (byte)AtcpMessageType.Hello, ServiceAckType = (byte)AtcpMessageType.ServiceAck;
    const byte DoneType = (byte)AtcpMessageType.Done;

    static readonly SockFilter[] RequestFilter =
    [
        new() { Code = 0x20, K = 0xFFFFF004 },                  // 0  A = skb->pkt_type (SKF_AD_PKTTYPE)
        new() { Code = 0x15, JumpTrue = 27, K = 3 },            // 1  PACKET_OTHERHOST -> drop
        new() { Code = 0x15, JumpTrue = 26, K = 4 },            // 2  PACKET_OUTGOING -> drop
        new() { Code = 0x28, K = 12 },                          // 3  A = EtherType
        new() { Code = 0x15, JumpTrue = 19, K = AtcpEtherType }, // 4 ATCP -> 24
        new() { Code = 0x15, JumpFalse = 22, K = 0x0800 },      // 5  not IPv4 -> accept
        new() { Code = 0x30, K = 23 },                          // 6  A = IP protocol
        new() { Code = 0x15, JumpFalse = 20, K = 6 },           // 7  not TCP -> accept
        new() { Code = 0xB1, K = 14 },                          // 8  X = IP header length
        new() { Code = 0x50, K = 14 + 13 },                     // 9  A = TCP flags
        new() { Code = 0x45, JumpTrue = 17, K = 0x03 },         // 10 FIN or SYN -> accept
        new() { Code = 0x45, JumpFalse = 1, K = 0x04 },         // 11 no RST -> 13
        new() { Code = 0x45, JumpTrue = 15, JumpFalse = 16, K = 0x10 }, // 12 RST: with ACK -> accept, bare -> drop
        new() { Code = 0x28, K = 16 },                          // 13 A = IP total length
        new() { Code = 0x1C },                                  // 14 A -= X
        new() { Code = 0x02, K = 0 },                           // 15 M[0] = A
        new() { Code = 0x50, K = 14 + 12 },                     // 16 A = TCP data offset byte
        new() { Code = 0x74, K = 2 },                           // 17 A >>= 2
        new() { Code = 0x54, K = 0x3C },                        // 18 A &= 0x3C (TCP header length)
        new() { Code = 0x25, JumpTrue = 8, K = 20 },            // 19 options (SACK) -> accept
        new() { Code = 0x07 },                                  // 20 X = A
        new() { Code = 0x60, K = 0 },                           // 21 A = M[0]
        new() { Code = 0x1C },                                  // 22 A -= X (payload length)
        new() { Code = 0x15, JumpTrue = 5, JumpFalse = 4, K = 0 }, // 23 no payload -> drop, else accept
        new() { Code = 0x30, K = AtcpTypeOffset },              // 24 A = ATCP message type
        new() { Code = 0x15, JumpTrue = 3, K = HelloType },     // 25 HELLO -> drop
        new() { Code = 0x15, JumpTrue = 2, K = ServiceAckType }, // 26 SERVICE_ACK -> drop
        new() { Code = 0x15, JumpTrue = 1, K = DoneType },      // 27 DONE -> drop
        new() { Code = 0x06, K = 64 },                          // 28 accept
        new() { Code = 0x06, K = 0 },                           // 29 drop
    ];

    // The same, but SERVICE_ACK and DONE are accepted too (their "drop" tests become "ja 0", a jump
    // to the next instruction): a pause while an idle board's answer is awaited ends on it.
    static readonly SockFilter[] BoardAnswerFilter = WithBoardAnswers(RequestFilter);

    static SockFilter[] WithBoardAnswers(SockFilter[] filter)
    {
        var copy = (SockFilter[])filter.Clone();
        for (int i = 0; i < copy.Length; i++)
            if (copy[i].Code == 0x15 && copy[i].K is ServiceAckType or DoneType) copy[i] = new() { Code = 0x05, K = 0 };
        return copy;
    }
}
