using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Atcp.Emulation.W5500;

/// <summary>A real Linux network interface used as the emulated chip's cable: an AF_PACKET raw
/// socket (SOCK_RAW, ETH_P_ALL) bound to the named interface, optionally inside a named network
/// namespace (as created by <c>ip netns add</c>). Whole Ethernet frames go out with
/// <see cref="Send"/>; frames the interface receives are raised on a background thread through
/// <see cref="FrameReceived"/>. Frames this socket sends itself are not reported back. Promiscuous
/// mode is not set: on a veth end every frame from the peer arrives anyway. Needs root (or
/// CAP_NET_RAW, plus CAP_SYS_ADMIN for a namespace). Offloads such as GRO can hand the socket
/// frames longer than 1514 bytes; turn them off (<c>ethtool -K IF gro off</c>) when that matters.</summary>
public sealed class LinuxRawSocketWire : IDisposable
{
    const ushort EthPAll = 0x0003;      // linux/if_ether.h
    const int SolPacket = 263;          // linux/socket.h
    const int PacketIgnoreOutgoing = 23; // linux/if_packet.h, Linux 4.20+
    const byte PacketOutgoing = 4;      // sll_pkttype of frames we sent

    readonly Socket _socket;
    readonly bool _ignoresOutgoing;
    Thread? _receiver;
    volatile bool _stopping;
    Action? _detach;

    /// <summary>Opens and binds the socket (in the namespace, when one is named).</summary>
    public LinuxRawSocketWire(string interfaceName, string? networkNamespace = null)
    {
        InterfaceName = interfaceName;
        (_socket, InterfaceIndex) = networkNamespace == null
            ? Open(interfaceName)
            : NetworkNamespace.Run(networkNamespace, () => Open(interfaceName));
        try
        {
            _socket.SetRawSocketOption(SolPacket, PacketIgnoreOutgoing, BitConverter.GetBytes(1));
            _ignoresOutgoing = true;
        }
        catch (SocketException)
        {
            _ignoresOutgoing = false; // older kernel: filter on sll_pkttype instead
        }
        _socket.ReceiveTimeout = 100; // lets the receive thread notice Dispose
    }

    /// <summary>The interface the socket is bound to.</summary>
    public string InterfaceName { get; }

    /// <summary>Its ifindex inside its namespace.</summary>
    public int InterfaceIndex { get; }

    /// <summary>Frames received from the interface, raised on the receive thread.</summary>
    public event FrameHandler? FrameReceived;

    /// <summary>Frames sent and received so far.</summary>
    public long FramesSent => Interlocked.Read(ref _framesSent);

    /// <summary>Frames received and raised so far.</summary>
    public long FramesReceived => Interlocked.Read(ref _framesReceived);

    long _framesSent, _framesReceived;

    /// <summary>Connects a chip model to an interface: what the chip transmits goes out of the
    /// interface, what the interface receives is delivered to the chip. Starts receiving.</summary>
    public static LinuxRawSocketWire Connect(W5500Model chip, string interfaceName, string? networkNamespace = null)
    {
        var wire = new LinuxRawSocketWire(interfaceName, networkNamespace);
        FrameHandler toChip = frame => chip.Deliver(frame);
        FrameHandler toWire = wire.Send;
        wire.FrameReceived += toChip;
        chip.FrameSent += toWire;
        wire._detach = () => chip.FrameSent -= toWire;
        wire.Start();
        return wire;
    }

    /// <summary>Starts the receive thread (once).</summary>
    public void Start()
    {
        if (_receiver != null) return;
        _receiver = new Thread(ReceiveLoop) { IsBackground = true, Name = "raw-wire " + InterfaceName };
        _receiver.Start();
    }

    /// <summary>Frames dropped because the interface's queue stayed full (see <see cref="Send"/>).</summary>
    public long FramesDroppedQueueFull => Interlocked.Read(ref _framesDroppedQueueFull);

    /// <summary>Times a send found the interface's queue full and waited.</summary>
    public long SendWaits => Interlocked.Read(ref _sendWaits);

    long _framesDroppedQueueFull, _sendWaits;

    /// <summary>How long a send waits for a full queue (a shaped link: tc tbf) to drain before it
    /// drops the frame. tbf queues hold about 20 ms of traffic in the testbed.</summary>
    static readonly TimeSpan QueueFullLimit = TimeSpan.FromMilliseconds(100);

    /// <summary>Puts a whole Ethernet frame (no FCS) on the interface. When a shaper's queue on the
    /// interface is full the kernel refuses the frame (ENOBUFS); the send then waits, as a chip's
    /// SEND completes only once its frame is on a slower wire, and drops the frame (counted) only
    /// if the queue stays full for <see cref="QueueFullLimit"/>.</summary>
    public void Send(ReadOnlySpan<byte> frame)
    {
        long deadline = 0;
        while (true)
        {
            _socket.Send(frame, SocketFlags.None, out SocketError error); // no exception per refused frame
            if (error == SocketError.Success)
            {
                Interlocked.Increment(ref _framesSent);
                return;
            }
            if (error != SocketError.NoBufferSpaceAvailable) throw new SocketException((int)error);
            long now = Environment.TickCount64;
            if (deadline == 0) deadline = now + (long)QueueFullLimit.TotalMilliseconds;
            if (now >= deadline)
            {
                Interlocked.Increment(ref _framesDroppedQueueFull);
                return;
            }
            Interlocked.Increment(ref _sendWaits);
            Thread.Sleep(1);
        }
    }

    void ReceiveLoop()
    {
        var buffer = new byte[65536];
        EndPoint from = new PacketEndPoint(InterfaceIndex);
        while (!_stopping)
        {
            int length;
            try
            {
                if (_ignoresOutgoing)
                {
                    length = _socket.Receive(buffer);
                }
                else
                {
                    length = _socket.ReceiveFrom(buffer, ref from);
                    if (((PacketEndPoint)from).PacketType == PacketOutgoing) continue;
                }
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock or SocketError.Interrupted)
            {
                continue;
            }
            catch (Exception) when (_stopping)
            {
                break;
            }
            Interlocked.Increment(ref _framesReceived);
            FrameReceived?.Invoke(new ReadOnlySpan<byte>(buffer, 0, length));
        }
    }

    /// <summary>Stops the receive thread, detaches from the chip and closes the socket.</summary>
    public void Dispose()
    {
        _stopping = true;
        _detach?.Invoke();
        _receiver?.Join(TimeSpan.FromSeconds(2));
        _socket.Dispose();
    }

    static (Socket, int) Open(string interfaceName)
    {
        int index = (int)if_nametoindex(interfaceName);
        if (index == 0)
            throw new InvalidOperationException("no network interface named '" + interfaceName + "' here (if_nametoindex failed)");
        var socket = new Socket(AddressFamily.Packet, SocketType.Raw, (ProtocolType)IPAddress.HostToNetworkOrder((short)EthPAll));
        try
        {
            socket.Bind(new PacketEndPoint(index));
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        return (socket, index);
    }

    [DllImport("libc", SetLastError = true)]
    static extern uint if_nametoindex(string name);

    /// <summary>struct sockaddr_ll (linux/if_packet.h), 20 bytes.</summary>
    sealed class PacketEndPoint(int interfaceIndex) : EndPoint
    {
        public byte PacketType { get; private init; }

        public override AddressFamily AddressFamily => AddressFamily.Packet;

        public override SocketAddress Serialize()
        {
            var address = new SocketAddress(AddressFamily.Packet, 20);
            address[2] = (byte)(EthPAll >> 8);          // sll_protocol, network order
            address[3] = (byte)EthPAll;
            address[4] = (byte)interfaceIndex;          // sll_ifindex, host order (little-endian)
            address[5] = (byte)(interfaceIndex >> 8);
            address[6] = (byte)(interfaceIndex >> 16);
            address[7] = (byte)(interfaceIndex >> 24);
            return address;
        }

        public override EndPoint Create(SocketAddress address)
        {
            int index = address[4] | (address[5] << 8) | (address[6] << 16) | (address[7] << 24);
            return new PacketEndPoint(index) { PacketType = address[10] };
        }
    }
}

/// <summary>Runs code with the calling thread inside a named network namespace (setns(2) on a
/// fresh thread that ends afterwards, so no pooled thread is left in the namespace). Sockets opened
/// there stay in that namespace wherever they are used later.</summary>
public static class NetworkNamespace
{
    const int CloneNewNet = 0x40000000;

    /// <summary>Runs work inside /run/netns/<paramref name="name"/> and returns its result.</summary>
    public static T Run<T>(string name, Func<T> work)
    {
        T result = default!;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                using var handle = File.OpenHandle(Path.Combine("/run/netns", name));
                if (setns((int)handle.DangerousGetHandle(), CloneNewNet) != 0)
                    throw new InvalidOperationException("setns into network namespace '" + name + "' failed, errno " + Marshal.GetLastPInvokeError());
                result = work();
            }
            catch (Exception e)
            {
                failure = e;
            }
        });
        thread.Start();
        thread.Join();
        if (failure != null) throw new InvalidOperationException("in network namespace '" + name + "': " + failure.Message, failure);
        return result;
    }

    [DllImport("libc", SetLastError = true)]
    static extern int setns(int fd, int nstype);
}
