using System.Text;
using Atcp.Frontend.Tftp;
using Atcp.Wire.Atcp;
using static Atcp.Frontend.Tests.Tftp.TftpServerKit;

namespace Atcp.Frontend.Tests.Tftp;

public class TftpServer_AckRelay
{
    [Fact]
    public void ClientAck_IsRelayedAsDatagramAck()
    {
        var kit = new TftpServerKit();
        var t = kit.Delegated("boot.img", ("windowsize", "4"));
        var relay = Assert.IsType<TftpRelayAck>(Assert.Single(kit.Send(t.TransferPort, new TftpAck(4))));
        Assert.Equal((t.StreamId, 4u), (relay.StreamId, relay.Block));
    }

    [Fact]
    public void BlockNumbers_AreUnwrappedAcrossEveryRollover()
    {
        // 200 MB in 512-byte blocks: 390,626 blocks, so the 16-bit numbers wrap five times.
        var kit = new TftpServerKit();
        var t = kit.Delegated("big.iso", ("windowsize", "64"));
        uint expected = 0;
        while (expected + 64 <= t.LastBlock)
        {
            expected += 64;
            var relay = Assert.IsType<TftpRelayAck>(Assert.Single(kit.Send(t.TransferPort, new TftpAck((ushort)expected))));
            Assert.Equal(expected, relay.Block);
        }
        Assert.True(expected > 5 * 65536);
        var last = Assert.IsType<TftpRelayAck>(kit.Send(t.TransferPort, new TftpAck((ushort)t.LastBlock))[0]);
        Assert.Equal(t.LastBlock, last.Block);
        Assert.Equal(TftpSessionState.Completing, kit.Server.FindSession(t.StreamId)!.State);
    }

    [Fact]
    public void AckOfBlockZeroAfter65535_Is65536()
    {
        var kit = new TftpServerKit();
        var t = kit.Delegated("big.iso", ("windowsize", "64"));
        for (uint b = 16383; b < 65536; b += 16383) Assert.Equal(b, Assert.IsType<TftpRelayAck>(Assert.Single(kit.Send(t.TransferPort, new TftpAck((ushort)b)))).Block);
        kit.Send(t.TransferPort, new TftpAck(65535));
        Assert.Equal(65536u, Assert.IsType<TftpRelayAck>(Assert.Single(kit.Send(t.TransferPort, new TftpAck(0)))).Block);
        Assert.Equal(65537u, Assert.IsType<TftpRelayAck>(Assert.Single(kit.Send(t.TransferPort, new TftpAck(1)))).Block);
    }

    [Fact]
    public void DuplicateAck_IsRelayed_OldAckIsDropped()
    {
        var kit = new TftpServerKit();
        var t = kit.Delegated("boot.img", ("windowsize", "4"));
        kit.Send(t.TransferPort, new TftpAck(8));
        Assert.Equal(8u, Assert.IsType<TftpRelayAck>(Assert.Single(kit.Send(t.TransferPort, new TftpAck(8)))).Block);
        Assert.Empty(kit.Send(t.TransferPort, new TftpAck(4)));
        Assert.Equal(1, kit.Server.Counters.AcksDropped);
    }

    [Fact]
    public void AckBeyondTheLastBlock_IsDropped()
    {
        var kit = new TftpServerKit();
        var t = kit.Delegated("boot.img");
        Assert.Empty(kit.Send(t.TransferPort, new TftpAck((ushort)(t.LastBlock + 1))));
    }

    [Fact]
    public void AckOfTheLastBlock_ThenDone_EndsComplete()
    {
        var kit = new TftpServerKit();
        var t = kit.Delegated("exact.bin", ("blksize", "512")); // 1024 bytes: blocks 1, 2 and an empty 3
        Assert.Equal(3u, t.LastBlock);
        kit.Send(t.TransferPort, new TftpAck(3));
        var end = Assert.IsType<TftpSessionEnded>(Assert.Single(kit.Server.OnBoardDone(t.StreamId, kit.Now)));
        Assert.Equal((t.StreamId, t.TransferPort, TftpEndReason.Completed), (end.StreamId, end.TransferPort, end.Reason));
        Assert.Null(kit.Server.FindSessionByPort(t.TransferPort));
        Assert.Equal(1, kit.Server.Counters.Completed);
    }

    [Fact]
    public void AckOfTheLastBlock_WithoutDone_EndsCompleteAfterTheLinger()
    {
        var kit = new TftpServerKit();
        var t = kit.Delegated("boot.img");
        kit.Send(t.TransferPort, new TftpAck((ushort)t.LastBlock));
        // A repeated final ACK (the board resent: our relay was lost) is relayed again.
        Assert.IsType<TftpRelayAck>(Assert.Single(kit.Send(t.TransferPort, new TftpAck((ushort)t.LastBlock))));
        var end = Assert.IsType<TftpSessionEnded>(Assert.Single(kit.Advance(32 * 1000)));
        Assert.Equal(TftpEndReason.Completed, end.Reason);
    }

    [Fact]
    public void DoneForAnUnknownStream_IsIgnored()
    {
        var kit = new TftpServerKit();
        Assert.Empty(kit.Server.OnBoardDone(12345, 0));
        Assert.Empty(kit.Server.OnBoardAbort(12345, AtcpAbortReason.Timeout, 0));
        Assert.Empty(kit.Server.OnBoardRejected(12345, AtcpServiceStatus.Busy, 0));
    }
}

public class TftpServer_TransferEnds
{
    [Fact]
    public void ClientError_AbortsTheBoardStream()
    {
        var kit = new TftpServerKit();
        var t = kit.Delegated("boot.img");
        var actions = kit.Send(t.TransferPort, new TftpError(TftpErrorCode.DiskFull, "disk full"));
        Assert.Equal(2, actions.Count);
        Assert.Equal(new TftpAbortStream(t.StreamId, AtcpAbortReason.ClientReset), actions[0]);
        Assert.Equal(new TftpSessionEnded(t.StreamId, t.TransferPort, TftpEndReason.ClientError), actions[1]);
    }

    [Fact]
    public void WrongPacketOnTheTransferPort_EndsTheSessionWithErrorFour()
    {
        var kit = new TftpServerKit();
        var t = kit.Delegated("boot.img");
        var actions = kit.Send(t.TransferPort, new TftpData(1, [1, 2, 3]));
        var error = Assert.IsType<TftpError>(Packet(Assert.IsType<TftpSendDatagram>(actions[0])));
        Assert.Equal(TftpErrorCode.IllegalOperation, error.Code);
        Assert.Equal(new TftpAbortStream(t.StreamId, AtcpAbortReason.ProtocolError), actions[1]);
        Assert.Equal(TftpEndReason.IllegalOperation, Assert.IsType<TftpSessionEnded>(actions[2]).Reason);
    }

    [Fact]
    public void MalformedDatagramOnTheTransferPort_IsIgnored()
    {
        var kit = new TftpServerKit();
        var t = kit.Delegated("boot.img");
        Assert.Empty(kit.Send(t.TransferPort, [0, 4, 0]));
        Assert.Empty(kit.Send(t.TransferPort, []));
        Assert.NotNull(kit.Server.FindSessionByPort(t.TransferPort));
    }

    [Fact]
    public void StrangerOnTheTransferPort_GetsErrorFive_AndTheTransferGoesOn()
    {
        var kit = new TftpServerKit();
        var t = kit.Delegated("boot.img");
        var error = SingleError(kit.Send(t.TransferPort, new TftpAck(1), port: 40001), t.TransferPort);
        Assert.Equal(TftpErrorCode.UnknownTransferId, error.Code);
        SingleError(kit.Send(t.TransferPort, new TftpAck(1), ip: 0xC6120065), t.TransferPort);
        Assert.Empty(kit.Send(t.TransferPort, new TftpError(TftpErrorCode.NotDefined, "x"), port: 40001)); // never answer an ERROR
        Assert.IsType<TftpRelayAck>(Assert.Single(kit.Send(t.TransferPort, new TftpAck(1))));
    }

    [Theory]
    [InlineData(AtcpAbortReason.Timeout, "timed out")]
    [InlineData(AtcpAbortReason.IoError, "storage read error")]
    [InlineData(AtcpAbortReason.Reassigned, "aborted")]
    public void BoardAbort_TellsTheClient_AndEnds(AtcpAbortReason reason, string message)
    {
        var kit = new TftpServerKit();
        var t = kit.Delegated("boot.img");
        var actions = kit.Server.OnBoardAbort(t.StreamId, reason, kit.Now);
        var send = Assert.IsType<TftpSendDatagram>(actions[0]);
        Assert.Equal(t.TransferPort, send.FromPort);
        Assert.Contains(message, Assert.IsType<TftpError>(Packet(send)).Message);
        Assert.Equal(TftpEndReason.BoardAborted, Assert.IsType<TftpSessionEnded>(actions[1]).Reason);
    }

    [Theory]
    [InlineData(AtcpServiceStatus.NotFound, TftpErrorCode.FileNotFound)]
    [InlineData(AtcpServiceStatus.Busy, TftpErrorCode.NotDefined)]
    [InlineData(AtcpServiceStatus.BadRange, TftpErrorCode.NotDefined)]
    public void BoardRejection_IsTheMatchingError(AtcpServiceStatus status, TftpErrorCode code)
    {
        var kit = new TftpServerKit();
        var t = kit.Delegated("boot.img");
        var actions = kit.Server.OnBoardRejected(t.StreamId, status, kit.Now);
        Assert.Equal(code, Assert.IsType<TftpError>(Packet(Assert.IsType<TftpSendDatagram>(actions[0]))).Code);
        Assert.Equal(TftpEndReason.BoardRejected, Assert.IsType<TftpSessionEnded>(actions[1]).Reason);
    }

    [Fact]
    public void SilentClientAndBoard_BackstopAbortsTheStream()
    {
        // 1 s timeout, 5 retransmissions: the board's waits double (1, 2, 4, 8, 8, 8 s) and it gives
        // up after 31 s of silence; the backstop is one timeout later, 32 s after the last ACK.
        var kit = new TftpServerKit();
        Assert.Equal(32_000, Atcp.Firmware.Udp.DatagramSender.GiveUpBudget(1000, 5) + 1000);
        var t = kit.Delegated("boot.img");
        Assert.Empty(kit.Advance(31_000));
        kit.Send(t.TransferPort, new TftpAck(1)); // a sign of life moves the backstop
        Assert.Empty(kit.Advance(31_999));
        var actions = kit.Advance(1);
        Assert.Equal(new TftpAbortStream(t.StreamId, AtcpAbortReason.Timeout), actions[0]);
        Assert.Equal(TftpEndReason.Timeout, Assert.IsType<TftpSessionEnded>(actions[1]).Reason);
    }

    [Fact]
    public void EndedSession_FreesItsPortAndClient()
    {
        var kit = new TftpServerKit();
        var t = kit.Delegated("boot.img");
        kit.Server.OnBoardDone(t.StreamId, kit.Now);
        Assert.Empty(kit.Send(t.TransferPort, new TftpAck(1)));
        // The same client port may start a new transfer.
        Assert.IsType<TftpSessionStarted>(kit.Read("boot.img")[0]);
    }
}

public class TftpServer_HostileInput
{
    static IReadOnlyList<TftpAction> ToPort69(string text) => new TftpServerKit().Send(69, Encoding.Latin1.GetBytes(text));

    [Theory]
    [InlineData("")]
    [InlineData("\0")]
    [InlineData("\0\u0005\0")]                 // a broken ERROR: never answered
    [InlineData("\0\u0005\0\u0001bye\0")]      // an ERROR: never answered
    public void NotWorthAnAnswer_IsIgnored(string text) => Assert.Empty(ToPort69(text));

    [Theory]
    [InlineData("\0\0", TftpErrorCode.IllegalOperation)]
    [InlineData("\0\u0009abc", TftpErrorCode.IllegalOperation)]
    [InlineData("\0\u0001boot.img", TftpErrorCode.IllegalOperation)]
    [InlineData("\0\u0001boot.img\0octet", TftpErrorCode.IllegalOperation)]
    [InlineData("\0\u0001\0octet\0", TftpErrorCode.IllegalOperation)]
    [InlineData("\0\u0001boot.img\0\0", TftpErrorCode.IllegalOperation)]
    [InlineData("\0\u0001bo\u0007ot\0octet\0", TftpErrorCode.FileNotFound)]
    [InlineData("\0\u0001boot.img\0octet\0blksize\0", TftpErrorCode.OptionNegotiation)]
    [InlineData("\0\u0001boot.img\0octet\0\0junk\0", TftpErrorCode.OptionNegotiation)]
    [InlineData("\0\u0001boot.img\0octet\0blksize\u000099999999999999999999999999999\0blksize\u0000512\0", TftpErrorCode.OptionNegotiation)]
    [InlineData("\0\u0003\0\u0001data", TftpErrorCode.IllegalOperation)]
    [InlineData("\0\u0004\0\u0001", TftpErrorCode.IllegalOperation)]
    [InlineData("\0\u0006blksize\u0000512\0", TftpErrorCode.IllegalOperation)]
    public void Malformed_IsAnsweredWithAnError(string text, TftpErrorCode code)
    {
        var error = SingleError(ToPort69(text));
        Assert.Equal(code, error.Code);
    }

    [Fact]
    public void HugeBlockSize_IsServedAtThePathLimit()
    {
        var kit = new TftpServerKit();
        var oack = (TftpOptionAck)Packet((TftpSendDatagram)kit.Read("boot.img", ("blksize", "99999999999999999999999999999"))[1]);
        Assert.Equal("1468", oack.Options.Single().Value);
    }

    [Fact]
    public void ClientPortZero_IsIgnored()
    {
        Assert.Empty(new TftpServerKit().Send(69, TftpRequest.Read("boot.img"), port: 0));
    }

    [Fact]
    public void DatagramToAPortWithoutSession_IsIgnored()
    {
        Assert.Empty(new TftpServerKit().Send(50000, new TftpAck(1)));
    }

    [Fact]
    public void RandomAndTruncatedDatagrams_NeverThrow_AndOnlyErrorsOrSessionsComeBack()
    {
        var kit = new TftpServerKit(new TftpServerOptions { MaxSessions = 100_000 });
        var random = new Random(2347);
        var valid = TftpRequest.Read("boot.img", "octet", new("blksize", "1460"), new("tsize", "0"), new("windowsize", "8"), new("timeout", "2")).ToBytes();
        var ports = new List<ushort>();
        for (int i = 0; i < 20_000; i++)
        {
            byte[] datagram;
            switch (random.Next(3))
            {
                case 0: datagram = valid[..random.Next(valid.Length + 1)]; break;
                case 1: datagram = (byte[])valid.Clone(); datagram[random.Next(datagram.Length)] = (byte)random.Next(256); break;
                default: datagram = new byte[random.Next(40)]; random.NextBytes(datagram); if (datagram.Length > 1) datagram[0] = 0; break;
            }
            ushort local = ports.Count > 0 && random.Next(2) == 0 ? ports[random.Next(ports.Count)] : (ushort)69;
            var actions = kit.Server.Receive(ClientIp, (ushort)(1 + random.Next(60000)), local, datagram, kit.Now);
            foreach (var action in actions)
            {
                if (action is TftpSessionStarted s) ports.Add(s.TransferPort);
                if (action is TftpSendDatagram send)
                {
                    var packet = TftpPacketParser.Parse(send.Payload).Packet;
                    Assert.True(packet is TftpError or TftpOptionAck, "unexpected reply " + packet);
                }
            }
            kit.Now += random.Next(50);
            kit.Server.OnTimer(kit.Now);
        }
        Assert.True(kit.Server.Counters.SessionsStarted > 0);
        Assert.True(kit.Server.Counters.Malformed > 0);
    }
}
