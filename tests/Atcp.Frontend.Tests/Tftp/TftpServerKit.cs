using Atcp.Frontend.Tftp;

namespace Atcp.Frontend.Tests.Tftp;

/// <summary>A TFTP server over a small catalog, a virtual clock and helpers to talk to it as a client.</summary>
sealed class TftpServerKit
{
    public const uint ServiceIp = 0xC6120001; // 198.18.0.1
    public const uint ClientIp = 0xC6120064;  // 198.18.0.100
    public const ushort ClientPort = 40000;

    public readonly InMemoryTftpCatalog Catalog = new InMemoryTftpCatalog()
        .Add("boot.img", 10_000, "board7:boot.img")
        .Add("empty.bin", 0)
        .Add("big.iso", 200_000_000, "board3:big.iso")
        .Add("exact.bin", 1024);
    public readonly TftpServer Server;
    public long Now;

    public TftpServerKit(TftpServerOptions? options = null)
    {
        Server = new TftpServer(Catalog, (options ?? new TftpServerOptions()) with { ServiceIp = ServiceIp, Random = new Random(7) });
    }

    public IReadOnlyList<TftpAction> Send(ushort localPort, byte[] payload, uint ip = ClientIp, ushort port = ClientPort) =>
        Server.Receive(ip, port, localPort, payload, Now);

    public IReadOnlyList<TftpAction> Send(ushort localPort, TftpPacket packet, uint ip = ClientIp, ushort port = ClientPort) =>
        Send(localPort, packet.ToBytes(), ip, port);

    public IReadOnlyList<TftpAction> Read(string name, params (string Name, string Value)[] options) =>
        Send(69, TftpRequest.Read(name, "octet", options.Select(o => new TftpOption(o.Name, o.Value)).ToArray()));

    public IReadOnlyList<TftpAction> Advance(long ms) { Now += ms; return Server.OnTimer(Now); }

    /// <summary>Starts a read with options and acknowledges the OACK; returns the transfer.</summary>
    public TftpTransfer Delegated(string name, params (string Name, string Value)[] options)
    {
        var actions = Read(name, options);
        var started = actions.OfType<TftpSessionStarted>().Single();
        if (actions.OfType<TftpDelegate>().SingleOrDefault() is { } direct) return direct.Transfer;
        return Send(started.TransferPort, new TftpAck(0)).OfType<TftpDelegate>().Single().Transfer;
    }

    public static TftpPacket Packet(TftpSendDatagram send) => TftpPacketParser.Parse(send.Payload).Packet!;

    public static TftpError SingleError(IReadOnlyList<TftpAction> actions, ushort fromPort = 69)
    {
        var send = Assert.IsType<TftpSendDatagram>(Assert.Single(actions));
        Assert.Equal(fromPort, send.FromPort);
        return Assert.IsType<TftpError>(Packet(send));
    }
}
