using System.Runtime.InteropServices;
using Atcp.Linux.Native;
using Atcp.Wire.Link;

namespace Atcp.Linux;

/// <summary>An AF_PACKET SOCK_RAW socket bound to one interface for all EtherTypes (ETH_P_ALL):
/// whole Ethernet frames in and out. Receives through a PACKET_MMAP TPACKET_V2 ring (no system call
/// while frames are waiting), transmits single frames with send() or batches with sendmmsg(). Its
/// own transmissions are not looped back (PACKET_IGNORE_OUTGOING). One thread drives the data path;
/// <see cref="Counters"/> and <see cref="Wake"/> may be called from any thread.</summary>
public sealed unsafe partial class PacketSocket : IFrameDevice, IDisposable
{
    const ushort ArphrdEther = 1; // linux/if_arp.h
    const int EthernetHeaderLength = 14;
    const int VlanTagLength = 4;

    readonly int _fd;
    readonly int _wakeFd;
    readonly byte[] _mac;
    int _disposed;

    PacketSocket(int fd, int wakeFd, string interfaceName, int interfaceIndex, int mtu, byte[] mac,
        PacketSocketOptions options, bool ignoresOutgoing)
    {
        _fd = fd;
        _wakeFd = wakeFd;
        InterfaceName = interfaceName;
        InterfaceIndex = interfaceIndex;
        Mtu = mtu;
        _mac = mac;
        Options = options;
        IgnoresOutgoing = ignoresOutgoing;
        MaxFrameLength = options.MaxFrameLength > 0 ? options.MaxFrameLength : mtu + EthernetHeaderLength;
        MaxReceiveLength = options.MaxFrameLength > 0 ? options.MaxFrameLength : mtu + EthernetHeaderLength + VlanTagLength;
    }

    /// <summary>The interface the socket is bound to.</summary>
    public string InterfaceName { get; }

    /// <summary>The interface's index in the socket's network namespace.</summary>
    public int InterfaceIndex { get; }

    /// <summary>The interface's MTU (IP packet size) when the socket was opened.</summary>
    public int Mtu { get; }

    /// <summary>The interface's MAC address (6 bytes; a copy).</summary>
    public byte[] MacAddress => (byte[])_mac.Clone();

    /// <summary>The options the socket was opened with.</summary>
    public PacketSocketOptions Options { get; }

    /// <summary>True when the kernel filters our own transmissions (PACKET_IGNORE_OUTGOING, Linux
    /// 4.20+); otherwise they are skipped by packet type on receive.</summary>
    public bool IgnoresOutgoing { get; }

    /// <summary>True when frames arrive through the PACKET_MMAP ring rather than recv().</summary>
    public bool UsesRing => _ring != null;

    /// <summary>No headroom: the kernel copies frames, so nothing is needed in front of them.</summary>
    public int Headroom => 0;

    /// <summary>Largest frame transmitted: MTU plus the Ethernet header (FCS excluded).</summary>
    public int MaxFrameLength { get; }

    /// <summary>Largest frame received: MTU plus the Ethernet header and one VLAN tag.</summary>
    public int MaxReceiveLength { get; }

    /// <summary>Opens a packet socket on the named interface. Throws <see cref="PacketSocketException"/>
    /// with a message saying what to do when the process lacks CAP_NET_RAW, the interface does not
    /// exist or is down, or the kernel refuses the ring.</summary>
    public static PacketSocket Open(string interfaceName, PacketSocketOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(interfaceName);
        options ??= new PacketSocketOptions();
        if (options.NetworkNamespace is { } ns)
            return NetNamespace.Invoke(ns, () => OpenHere(interfaceName, options));
        return OpenHere(interfaceName, options);
    }

    static PacketSocket OpenHere(string interfaceName, PacketSocketOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(options.RxRingBytes);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.TxBatchSize, 1);
        // Protocol 0: the socket receives nothing until bind() names the interface, so no frame
        // from another interface slips into the ring in between.
        int fd = LibC.Socket(LinuxConstants.AF_PACKET, LinuxConstants.SOCK_RAW | LinuxConstants.SOCK_CLOEXEC, 0);
        if (fd < 0)
        {
            int errno = LibC.Errno;
            throw errno is LinuxConstants.EPERM or LinuxConstants.EACCES
                ? PacketSocketException.PermissionDenied("Opening a raw packet socket for '" + interfaceName + "'", errno)
                : PacketSocketException.FromErrno("socket(AF_PACKET, SOCK_RAW)", errno);
        }
        int wakeFd = -1;
        PacketSocket? socket = null;
        try
        {
            int index = InterfaceQuery.Index(fd, interfaceName);
            int flags = InterfaceQuery.Flags(fd, interfaceName);
            if (options.RequireUp && (flags & LinuxConstants.IFF_UP) == 0)
                throw new PacketSocketException(PacketSocketError.InterfaceDown,
                    "Interface '" + interfaceName + "' is down: bring it up with 'ip link set " + interfaceName + " up'.");
            int mtu = InterfaceQuery.Mtu(fd, interfaceName);
            var (hardwareType, mac) = InterfaceQuery.HardwareAddress(fd, interfaceName);
            if (hardwareType != ArphrdEther)
                throw new PacketSocketException(PacketSocketError.SystemCallFailed,
                    "Interface '" + interfaceName + "' is not an Ethernet interface (hardware type " + hardwareType + ").");

            bool ignoresOutgoing = TrySetInt(fd, LinuxConstants.SOL_PACKET, LinuxConstants.PACKET_IGNORE_OUTGOING, 1);
            if (options.QdiscBypass)
                SetInt(fd, LinuxConstants.SOL_PACKET, LinuxConstants.PACKET_QDISC_BYPASS, 1, "PACKET_QDISC_BYPASS");
            if (options.ReceiveBufferBytes > 0)
                SetInt(fd, LinuxConstants.SOL_SOCKET, LinuxConstants.SO_RCVBUFFORCE, options.ReceiveBufferBytes, "SO_RCVBUFFORCE");

            wakeFd = LibC.EventFd(0, LinuxConstants.EFD_NONBLOCK | LinuxConstants.EFD_CLOEXEC);
            if (wakeFd < 0) throw PacketSocketException.FromErrno("eventfd", LibC.Errno);

            socket = new PacketSocket(fd, wakeFd, interfaceName, index, mtu, mac, options, ignoresOutgoing);
            if (options.RxRingBytes > 0) socket.SetUpRing();
            socket.SetUpTransmit();

            var address = new SockaddrLl
            {
                Family = LinuxConstants.AF_PACKET,
                Protocol = (ushort)System.Net.IPAddress.HostToNetworkOrder((short)LinuxConstants.ETH_P_ALL),
                IfIndex = index,
            };
            if (LibC.Bind(fd, &address, (uint)sizeof(SockaddrLl)) != 0)
                throw PacketSocketException.FromErrno("bind() to '" + interfaceName + "'", LibC.Errno);

            if (options.Promiscuous)
            {
                var request = new PacketMreq { IfIndex = index, Type = LinuxConstants.PACKET_MR_PROMISC };
                if (LibC.SetSockOpt(fd, LinuxConstants.SOL_PACKET, LinuxConstants.PACKET_ADD_MEMBERSHIP, &request, (uint)sizeof(PacketMreq)) != 0)
                    throw PacketSocketException.FromErrno("PACKET_ADD_MEMBERSHIP (promiscuous)", LibC.Errno);
            }
            return socket;
        }
        catch
        {
            if (socket != null) socket.Dispose();
            else
            {
                LibC.Close(fd);
                if (wakeFd >= 0) LibC.Close(wakeFd);
            }
            throw;
        }
    }

    static bool TrySetInt(int fd, int level, int name, int value) =>
        LibC.SetSockOpt(fd, level, name, &value, sizeof(int)) == 0;

    static void SetInt(int fd, int level, int name, int value, string what)
    {
        if (!TrySetInt(fd, level, name, value)) throw PacketSocketException.FromErrno("setsockopt(" + what + ")", LibC.Errno);
    }

    /// <summary>Reads the interface's current flags (IFF_UP = 0x1, IFF_RUNNING = 0x40) in the
    /// socket's namespace.</summary>
    public int ReadInterfaceFlags() => InterfaceQuery.Flags(_fd, InterfaceName);

    /// <summary>Reads the interface's current MTU in the socket's namespace.</summary>
    public int ReadMtu() => InterfaceQuery.Mtu(_fd, InterfaceName);

    /// <summary>Makes a <see cref="WaitForReceive"/> in progress (or the next one) return at once.
    /// Safe from any thread.</summary>
    public void Wake()
    {
        lock (_statisticsLock) // not while Dispose closes the descriptor
        {
            if (Volatile.Read(ref _disposed) != 0) return;
            ulong one = 1;
            LibC.Write(_wakeFd, &one, sizeof(ulong));
        }
    }

    /// <summary>Waits up to timeoutMs (-1: forever, 0: no wait) until a frame can be received;
    /// true when one can. Returns false on timeout or after <see cref="Wake"/>. No system call when
    /// a frame is already waiting in the ring.</summary>
    public bool WaitForReceive(int timeoutMs)
    {
        if (_ring != null && RingFrameReady()) return true;
        if (timeoutMs == 0 && _ring != null) return false;
        PollFd* fds = stackalloc PollFd[2];
        fds[0] = new PollFd { Fd = _fd, Events = LinuxConstants.POLLIN };
        fds[1] = new PollFd { Fd = _wakeFd, Events = LinuxConstants.POLLIN };
        _syscalls++;
        _polls++;
        bool queuedBefore = _signalsQueued;
        _signalsQueued = true; // frames may arrive while we wait: their signals queue too
        int n = LibC.Poll(fds, 2, timeoutMs);
        if (n == 0) _signalsQueued = queuedBefore; // timed out: no frame came, so no signal either
        if (n < 0)
        {
            int errno = LibC.Errno;
            if (errno == LinuxConstants.EINTR) return false;
            throw PacketSocketException.FromErrno("poll()", errno);
        }
        if ((fds[1].REvents & LinuxConstants.POLLIN) != 0)
        {
            ulong value;
            LibC.Read(_wakeFd, &value, sizeof(ulong));
        }
        if ((fds[0].REvents & (LinuxConstants.POLLERR | LinuxConstants.POLLNVAL)) != 0)
            throw new PacketSocketException(PacketSocketError.SystemCallFailed,
                "poll() reported an error on the packet socket for '" + InterfaceName + "' (was the interface removed?).");
        return (fds[0].REvents & LinuxConstants.POLLIN) != 0;
    }

    /// <summary>Sleeps up to microseconds without watching the packet socket (frames collect in
    /// the ring meanwhile), returning early on <see cref="Wake"/> or, after
    /// <see cref="WatchRequestsDuringPause"/>, on a frame other than a pure TCP ACK (with
    /// endOnBoardAnswer, a board's SERVICE_ACK or DONE too); true when woken.</summary>
    public bool Pause(int microseconds, bool endOnBoardAnswer = false)
    {
        if (microseconds <= 0) return false;
        PollFd* fds = stackalloc PollFd[2];
        fds[0] = new PollFd { Fd = _wakeFd, Events = LinuxConstants.POLLIN };
        // -1 when off: ignored. The answer socket's filter passes everything the request socket's does.
        fds[1] = new PollFd { Fd = endOnBoardAnswer ? _answerFd : _signalFd, Events = LinuxConstants.POLLIN };
        Timespec timeout = new() { Seconds = microseconds / 1_000_000, Nanoseconds = microseconds % 1_000_000 * 1000L };
        _syscalls++;
        int n = LibC.PPoll(fds, _signalFd >= 0 ? 2u : 1u, &timeout, null);
        if (n <= 0) return false;
        if ((fds[0].REvents & LinuxConstants.POLLIN) != 0)
        {
            ulong value;
            LibC.Read(_wakeFd, &value, sizeof(ulong));
        }
        if (fds[1].Fd >= 0 && (fds[1].REvents & LinuxConstants.POLLIN) != 0)
        {
            _requestWakes++;
            _signalsQueued = true;
        }
        return true;
    }

    /// <summary>The counters now; also collects the kernel's drop statistics (PACKET_STATISTICS).</summary>
    public PacketSocketCounters Counters
    {
        get
        {
            CollectKernelStatistics();
            return new PacketSocketCounters
            {
                FramesReceived = Volatile.Read(ref _framesReceived),
                BytesReceived = Volatile.Read(ref _bytesReceived),
                FramesSent = Volatile.Read(ref _framesSent),
                BytesSent = Volatile.Read(ref _bytesSent),
                KernelDrops = Interlocked.Read(ref _kernelDrops),
                KernelPackets = Interlocked.Read(ref _kernelPackets),
                OversizeDrops = Volatile.Read(ref _oversizeDrops),
                TransmitBusy = Volatile.Read(ref _transmitBusy),
                TransmitErrors = Volatile.Read(ref _transmitErrors),
                ChecksumNotReady = Volatile.Read(ref _checksumNotReady),
                Syscalls = Volatile.Read(ref _syscalls) + Interlocked.Read(ref _statisticsReads),
                Polls = Volatile.Read(ref _polls),
                SendBatches = Volatile.Read(ref _sendBatches),
            };
        }
    }

    // Data-path counters: written by the one data-path thread, read with Volatile.Read (64-bit
    // loads are atomic on the 64-bit targets).
    long _framesReceived, _bytesReceived, _framesSent, _bytesSent, _oversizeDrops, _transmitBusy,
        _transmitErrors, _checksumNotReady, _syscalls, _polls, _sendBatches;
    // Updated from any thread.
    long _kernelDrops, _kernelPackets, _statisticsReads;
    readonly Lock _statisticsLock = new(); // guards the descriptors against Dispose for off-thread calls

    void CollectKernelStatistics()
    {
        lock (_statisticsLock)
        {
            if (Volatile.Read(ref _disposed) != 0) return;
            TpacketStats stats;
            uint length = (uint)sizeof(TpacketStats);
            Interlocked.Increment(ref _statisticsReads);
            if (LibC.GetSockOpt(_fd, LinuxConstants.SOL_PACKET, LinuxConstants.PACKET_STATISTICS, &stats, &length) != 0) return;
            Interlocked.Add(ref _kernelDrops, stats.Drops);
            Interlocked.Add(ref _kernelPackets, stats.Packets);
        }
    }

    /// <summary>Closes the socket and unmaps the ring.</summary>
    public void Dispose()
    {
        lock (_statisticsLock)
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        }
        LibC.Close(_fd);
        LibC.Close(_wakeFd);
        CloseSignalSocket();
        ReleaseRing();
        ReleaseTransmit();
    }

    void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
}
