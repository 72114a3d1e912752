using Atcp.Frontend.Net;

namespace Atcp.Frontend.Tests.Engine;

/// <summary>TFTP reads through the whole cluster on the virtual clock: the front-end negotiates, a
/// board sends the DATA straight to the client with the service address, the client's ACKs are
/// relayed as DATAGRAM_ACKs.</summary>
public class TftpSimulationTests
{
    static (string, byte[]) Obj(string name, int size, int seed)
    {
        var b = new byte[size];
        new Random(seed).NextBytes(b);
        return (name, b);
    }

    static SimulatedCluster Boot(int boards, params (string, byte[])[] objects)
    {
        var c = new SimulatedCluster(boards, objects);
        c.Run(5000, () => c.FrontEnd.Boards.Registry.Boards.Count() == boards
            && c.FrontEnd.Boards.Registry.Boards.All(b => !c.FrontEnd.Boards.Registry.NeedsInventory(b.Id))
            && c.FrontEnd.Dispatcher.Catalog.Count == objects.Length);
        Assert.Equal(objects.Length, c.FrontEnd.Dispatcher.Catalog.Count);
        return c;
    }

    [Theory]
    [InlineData(100_000, 1460, 8)]
    [InlineData(100_000, 1460, 1)]
    [InlineData(3 * 1460, 1460, 4)] // a multiple of the block size: the empty final block ends it
    [InlineData(5000, null, null)]  // no options: 512-byte blocks, window 1, no OACK
    [InlineData(0, 1460, 4)]
    public void Read_ArrivesExact_FromABoardsMac(int size, int? blksize, int? windowsize)
    {
        var obj = Obj("boot/kernel.img", size, 3);
        var c = Boot(2, obj);
        var client = c.AddTftpClient(0xC6120064, 40001);
        client.Get("boot/kernel.img", blksize, windowsize);
        c.Run(60_000, () => client.Done);
        Assert.True(client.Done);
        Assert.Null(client.ErrorCode);
        Assert.Equal(obj.Item2, client.Received);
        Assert.Equal(0, client.ChecksumErrors);
        if (size > 0)
        {
            // Every DATA byte came from a board, none from the front-end.
            Assert.DoesNotContain(Convert.ToHexString(SimulatedCluster.FrontEndMac), client.DataBytesFromMac.Keys);
            Assert.Equal(size, client.DataBytesFromMac.Values.Sum());
        }
        if (blksize != null) Assert.Equal(1460, client.NegotiatedBlockSize); // 5 x 292
        c.Run(2000, () => c.FrontEnd.Tftp!.Server.SessionCount == 0);
        Assert.Equal(0, c.FrontEnd.Tftp!.Server.SessionCount);
        Assert.Equal(0, c.FrontEnd.Tftp.ActiveStreams);
        Assert.All(c.Boards, b => Assert.Equal(0, b.Engine.ActiveDatagramStreams));
    }

    [Fact]
    public void Read_WithBlockSizeAboveTheLimit_GetsAMultipleOfTheChunkSize()
    {
        var obj = Obj("a.bin", 20_000, 4);
        var c = Boot(1, obj);
        var client = c.AddTftpClient(0xC6120064, 40001);
        client.Get("/a.bin", 1468, 8);
        c.Run(30_000, () => client.Done);
        Assert.Equal(obj.Item2, client.Received);
        Assert.Equal(1460, client.NegotiatedBlockSize);
        Assert.Equal(0, c.Boards[0].Engine.UdpPacketizer.Checksum.BytesSummedInManagedCode);
    }

    [Fact]
    public void Read_WithFivePercentLoss_StillArrivesExact()
    {
        var obj = Obj("big.bin", 300_000, 5);
        var c = Boot(2, obj);
        c.Loss = 0.05;
        var client = c.AddTftpClient(0xC6120064, 40001);
        client.Get("big.bin", 1460, 8);
        c.Run(600_000, () => client.Done);
        Assert.True(client.Done);
        Assert.Null(client.ErrorCode);
        Assert.Equal(obj.Item2, client.Received);
        Assert.True(c.FramesLost > 0);
    }

    [Fact]
    public void AtftpStyleClient_WhenAWindowsAckAndItsExtraAckAreLost_GetsTheSilenceItWaitsFor_AndFinishes()
    {
        // atftp answers a resent window with one "extra ACK", then ignores the resends, and its
        // 5 s timer restarts on each of them: only board silence longer than that timer makes it
        // acknowledge again. The board's doubling backoff gives that silence before its give-up.
        var obj = Obj("w.bin", 60_000, 9);
        var c = Boot(1, obj);
        var client = c.AddTftpClient(0xC6120064, 40001, timeoutMs: 5000);
        client.AtftpStyle = true;
        client.OfferTimeout = false; // as atftp: the board's ceiling is the front-end's default, 1 s
        int acks16 = 0; // the client's ACKs of block 16 (the second window's end): the first two are lost
        c.Drop = f => f.Length >= 46 && f[23] == 17 && f[42] == 0 && f[43] == 4 && f[44] == 0 && f[45] == 16 && ++acks16 <= 2;
        client.Get("w.bin", 1460, 8);
        long start = c.Now;
        c.Run(60_000, () => client.Done);
        Assert.True(client.Done);
        Assert.Null(client.ErrorCode);
        Assert.Equal(obj.Item2, client.Received);
        Assert.Equal(3, acks16); // the window's ACK, the extra ACK, and the one after the client's timer
        // One client timer (5 s) after the board's waits reached it, not the board's give-up (31 s).
        Assert.InRange(c.Now - start, 5_000, 15_000);
    }

    [Fact]
    public void AckRelays_GoTwiceToTheBoard_WhichIgnoresTheCopy()
    {
        var obj = Obj("r.bin", 50_000, 10);
        var c = Boot(1, obj);
        var client = c.AddTftpClient(0xC6120064, 40001);
        client.Get("r.bin", 1460, 4);
        c.Run(30_000, () => client.Done);
        Assert.Equal(obj.Item2, client.Received);
        var tftp = c.FrontEnd.Tftp!;
        Assert.Equal(tftp.Server.Counters.AcksRelayed * Atcp.Frontend.Engine.TftpDispatcher.AckRelayCopies, tftp.RelayedAcks);
        Assert.Equal(0, c.Boards[0].Engine.Counters.Retransmissions);
    }

    [Fact]
    public void Read_OfAMissingFile_GetsError1()
    {
        var c = Boot(1, Obj("a.bin", 1000, 6));
        var client = c.AddTftpClient(0xC6120064, 40001);
        client.Get("nothing-here.bin", 1460, 4);
        c.Run(5000, () => client.Done);
        Assert.Equal(1, client.ErrorCode);
        Assert.Empty(client.Received);
    }

    [Fact]
    public void WriteRequest_GetsError2()
    {
        var c = Boot(1, Obj("a.bin", 1000, 6));
        var client = c.AddTftpClient(0xC6120064, 40001);
        client.Get("a.bin", write: true);
        c.Run(5000, () => client.Done);
        Assert.Equal(2, client.ErrorCode);
    }

    [Fact]
    public void TwoClients_ReadAtOnce_BothExact()
    {
        var a = Obj("a.bin", 80_000, 7);
        var b = Obj("b.bin", 90_000, 8);
        var c = Boot(2, a, b);
        var ca = c.AddTftpClient(0xC6120064, 40001);
        var cb = c.AddTftpClient(0xC6120065, 40002);
        ca.Get("a.bin", 1460, 4);
        cb.Get("b.bin", 1460, 8);
        c.Run(60_000, () => ca.Done && cb.Done);
        Assert.Equal(a.Item2, ca.Received);
        Assert.Equal(b.Item2, cb.Received);
    }

    [Fact]
    public void UdpToAnotherPort_IsCountedAndIgnored()
    {
        var c = Boot(1, Obj("a.bin", 1000, 6));
        var f = new PacketBuilder().Ethernet([0x02, 0x11, 0x22, 0x33, 0x55, 0x64], SimulatedCluster.FrontEndMac)
            .IPv4(0xC6120064, SimulatedCluster.ServiceIp).Udp(5000, 5353).Payload([1, 2, 3]).Build();
        c.Put(f);
        c.Run(10);
        Assert.Equal(1, c.FrontEnd.Tftp!.OtherPortDatagrams);
        Assert.Equal(1, c.FrontEnd.Stack.Counters[NetCounter.UdpDatagramsReceived]);
    }
}
