using Atcp.Linux;

namespace Atcp.Linux.Tests.Support;

/// <summary>Two fresh network namespaces joined by a veth pair, both ends up: "a" in
/// <see cref="Left"/>, "b" in <see cref="Right"/>. Disposing deletes both namespaces (and so the
/// pair). Names carry the test process id so leftovers of a killed run can be swept.</summary>
public sealed class VethLink : IDisposable
{
    public const string Prefix = "atcpt";
    static int s_sweep;

    public VethLink()
    {
        if (Interlocked.Exchange(ref s_sweep, 1) == 0) NetNamespace.DeleteStale(Prefix);
        Left = NetNamespace.CreateUnique(Prefix);
        try
        {
            Right = NetNamespace.CreateUnique(Prefix);
            Left.DisableIPv6();
            Right.DisableIPv6();
            NetNamespace.CreateVethPair(Left, LeftName, Right, RightName);
            Left.SetLinkUp(LeftName);
            Right.SetLinkUp(RightName);
            Left.WaitUntilLinkReady(LeftName);
            Right.WaitUntilLinkReady(RightName);
        }
        catch
        {
            Right?.Dispose();
            Left.Dispose();
            throw;
        }
    }

    /// <summary>The namespace of end "a".</summary>
    public NetNamespace Left { get; }

    /// <summary>The namespace of end "b".</summary>
    public NetNamespace Right { get; } = null!;

    /// <summary>Interface name in <see cref="Left"/>.</summary>
    public string LeftName => "veth-a";

    /// <summary>Interface name in <see cref="Right"/>.</summary>
    public string RightName => "veth-b";

    /// <summary>Opens a packet socket on end "a".</summary>
    public PacketSocket OpenLeft(PacketSocketOptions? options = null) => Open(Left, LeftName, options);

    /// <summary>Opens a packet socket on end "b".</summary>
    public PacketSocket OpenRight(PacketSocketOptions? options = null) => Open(Right, RightName, options);

    static PacketSocket Open(NetNamespace ns, string name, PacketSocketOptions? options) =>
        PacketSocket.Open(name, With(options ?? new PacketSocketOptions(), ns.Name));

    static PacketSocketOptions With(PacketSocketOptions o, string ns) => new()
    {
        RxRingBytes = o.RxRingBytes,
        TxBatchSize = o.TxBatchSize,
        ReceiveBufferBytes = o.ReceiveBufferBytes,
        QdiscBypass = o.QdiscBypass,
        Promiscuous = o.Promiscuous,
        RequireUp = o.RequireUp,
        MaxFrameLength = o.MaxFrameLength,
        NetworkNamespace = ns,
    };

    public void Dispose()
    {
        Right?.Dispose();
        Left.Dispose();
    }
}
