using Atcp.Frontend.Tftp;
using Atcp.Wire;
using Atcp.Wire.Atcp;
using static Atcp.Frontend.Tests.Tftp.TftpServerKit;

namespace Atcp.Frontend.Tests.Tftp;

public class TftpServer_ReadRequest
{
    [Fact]
    public void WithoutOptions_DelegatesAtOnce_WithRfc1350Defaults()
    {
        var kit = new TftpServerKit();
        var actions = kit.Read("boot.img");
        Assert.Equal(2, actions.Count);
        var started = Assert.IsType<TftpSessionStarted>(actions[0]);
        var transfer = Assert.IsType<TftpDelegate>(actions[1]).Transfer;
        Assert.Equal((ClientIp, ClientPort, "boot.img"), (started.ClientIp, started.ClientPort, started.Filename));
        Assert.InRange(started.TransferPort, 49152, 65535);
        Assert.Equal(started.TransferPort, transfer.TransferPort);
        Assert.Equal(started.StreamId, transfer.StreamId);
        Assert.Equal((ServiceIp, ClientIp, ClientPort), (transfer.ServiceIp, transfer.ClientIp, transfer.ClientPort));
        Assert.Equal((512, 1, 1000, 5), (transfer.BlockSize, transfer.WindowSize, transfer.RetransmitTimeoutMs, transfer.MaxRetransmissions));
        Assert.Equal("board7:boot.img", transfer.File.Location);
        Assert.Equal(20u, transfer.LastBlock); // 19 full blocks and 272 bytes
    }

    [Fact]
    public void WithOptions_SendsOptionAckFromTheTransferPort_ThenDelegatesOnAckZero()
    {
        var kit = new TftpServerKit();
        var actions = kit.Read("boot.img", ("blksize", "1468"), ("tsize", "0"), ("windowsize", "16"), ("timeout", "3"));
        var started = Assert.IsType<TftpSessionStarted>(actions[0]);
        var send = Assert.IsType<TftpSendDatagram>(actions[1]);
        Assert.Equal(2, actions.Count);
        Assert.Equal((started.TransferPort, ClientIp, ClientPort), (send.FromPort, send.ClientIp, send.ClientPort));
        var oack = Assert.IsType<TftpOptionAck>(Packet(send));
        Assert.Equal(new[] { new TftpOption("blksize", "1468"), new TftpOption("tsize", "10000"), new TftpOption("windowsize", "16"),
            new TftpOption("timeout", "3") }, oack.Options);

        var transfer = Assert.IsType<TftpDelegate>(Assert.Single(kit.Send(started.TransferPort, new TftpAck(0)))).Transfer;
        Assert.Equal((1468, 16, 3000), (transfer.BlockSize, transfer.WindowSize, transfer.RetransmitTimeoutMs));
        Assert.Equal(TftpSessionState.Delegated, kit.Server.FindSession(transfer.StreamId)!.State);
    }

    [Fact]
    public void OnlyUnknownOptions_NoOptionAck_DelegatesAtOnce()
    {
        var kit = new TftpServerKit();
        var actions = kit.Read("boot.img", ("x-vendor", "1"));
        Assert.IsType<TftpDelegate>(actions[1]);
    }

    [Fact]
    public void BlockSizeMultiple_PutsBlocksOnTheChunkGrid()
    {
        var kit = new TftpServerKit(new TftpServerOptions { BlockSizeMultiple = 292 });
        Assert.Equal(1460, kit.Delegated("boot.img", ("blksize", "1468")).BlockSize);
    }

    [Fact]
    public void SmallPathMtu_LimitsTheBlockSize()
    {
        var kit = new TftpServerKit(new TftpServerOptions { PathMtu = 576 });
        Assert.Equal(544, kit.Delegated("boot.img", ("blksize", "65464")).BlockSize);
    }

    [Fact]
    public void NegotiatedTimeout_AboveWhatCommandUdpCarries_IsCappedAt65535Ms()
    {
        var kit = new TftpServerKit();
        Assert.Equal(65535, kit.Delegated("boot.img", ("timeout", "255")).RetransmitTimeoutMs);
    }

    [Fact]
    public void LeadingSlash_FindsTheFile()
    {
        var kit = new TftpServerKit();
        Assert.IsType<TftpDelegate>(kit.Read("/boot.img")[1]);
    }

    [Fact]
    public void EmptyFile_IsOneEmptyBlock()
    {
        var kit = new TftpServerKit();
        Assert.Equal(1u, kit.Delegated("empty.bin").LastBlock);
    }

    [Fact]
    public void Transfer_FillsAValidCommandUdp()
    {
        var kit = new TftpServerKit();
        var transfer = kit.Delegated("boot.img", ("blksize", "1468"), ("windowsize", "8"));
        var command = new AtcpCommandUdpRepr { Ttl = 64, Opcode = AtcpServiceOpcode.SendDiskObject };
        command.Name.SetText("boot.img");
        transfer.FillCommand(command);
        Assert.Equal(ParseStatus.Ok, command.Validate());
        var body = new byte[command.Length];
        command.Emit(body, 0);
        var back = new AtcpCommandUdpRepr();
        Assert.Equal(ParseStatus.Ok, back.Parse(body, 0, body.Length));
        Assert.Equal((transfer.StreamId, ServiceIp, transfer.TransferPort, ClientIp, ClientPort),
            (back.StreamId, back.ServiceAddress, back.ServicePort, back.ClientAddress, back.ClientPort));
        Assert.Equal((AtcpDatagramFraming.TftpData, (ushort)1468, (ushort)8, (ushort)1, (ushort)1000, (byte)5),
            (back.Framing, back.BlockSize, back.WindowSize, back.FirstBlock, back.RetransmitTimeoutMs, back.MaxRetransmissions));
        Assert.Equal((0UL, 10_000UL), (back.RangeOffset, back.RangeLength));
    }

    [Fact]
    public void Sessions_GetUniqueTransferPortsAndStreamIds()
    {
        var kit = new TftpServerKit(new TftpServerOptions { FirstTransferPort = 50000, LastTransferPort = 50099, MaxSessions = 1000 });
        var started = Enumerable.Range(0, 100)
            .Select(i => kit.Send(69, TftpRequest.Read("boot.img"), port: (ushort)(1000 + i)).OfType<TftpSessionStarted>().Single())
            .ToList();
        Assert.Equal(100, started.Select(s => s.TransferPort).Distinct().Count());
        Assert.All(started, s => Assert.InRange(s.TransferPort, 50000, 50099));
        Assert.Equal(100, started.Select(s => s.StreamId).Distinct().Count());
        Assert.DoesNotContain(0u, started.Select(s => s.StreamId));
        // The range is used up: the next client is told to come back later.
        var error = SingleError(kit.Send(69, TftpRequest.Read("boot.img"), port: 2000));
        Assert.Equal(TftpErrorCode.NotDefined, error.Code);
        Assert.Contains("busy", error.Message);
    }

    [Fact]
    public void MaxSessions_IsEnforced()
    {
        var kit = new TftpServerKit(new TftpServerOptions { MaxSessions = 2 });
        kit.Send(69, TftpRequest.Read("boot.img"), port: 1);
        kit.Send(69, TftpRequest.Read("boot.img"), port: 2);
        Assert.Contains("busy", SingleError(kit.Send(69, TftpRequest.Read("boot.img"), port: 3)).Message);
        Assert.Equal(2, kit.Server.SessionCount);
    }

    [Fact]
    public void InjectedStreamIds_AreUsed()
    {
        uint next = 0x7000_0000;
        var kit = new TftpServerKit(new TftpServerOptions { StreamIds = () => next++ });
        Assert.Equal(0x7000_0000u, kit.Delegated("boot.img").StreamId);
    }
}

public class TftpServer_Refusals
{
    [Fact]
    public void UnknownFile_IsErrorOneFromPort69()
    {
        var kit = new TftpServerKit();
        var error = SingleError(kit.Read("nope.bin"));
        Assert.Equal(TftpErrorCode.FileNotFound, error.Code);
        Assert.Equal(0, kit.Server.SessionCount);
    }

    [Fact]
    public void WriteRequest_IsAccessViolation()
    {
        var kit = new TftpServerKit();
        var error = SingleError(kit.Send(69, new TftpRequest(TftpOpcode.WriteRequest, "boot.img", "octet", [])));
        Assert.Equal(TftpErrorCode.AccessViolation, error.Code);
        Assert.Contains("read-only", error.Message);
    }

    [Theory]
    [InlineData("netascii")]
    [InlineData("NetASCII")]
    [InlineData("mail")]
    public void TextModes_AreRefusedAskingForOctet(string mode)
    {
        var kit = new TftpServerKit();
        var error = SingleError(kit.Send(69, new TftpRequest(TftpOpcode.ReadRequest, "boot.img", mode, [])));
        Assert.Equal(TftpErrorCode.NotDefined, error.Code);
        Assert.EndsWith("not supported, use octet", error.Message);
    }

    [Fact]
    public void OctetMode_IsCaseInsensitive()
    {
        var kit = new TftpServerKit();
        Assert.IsType<TftpDelegate>(kit.Send(69, new TftpRequest(TftpOpcode.ReadRequest, "boot.img", "OcTeT", []))[1]);
    }

    [Fact]
    public void UnknownMode_IsIllegalOperation()
    {
        var kit = new TftpServerKit();
        Assert.Equal(TftpErrorCode.IllegalOperation, SingleError(kit.Send(69, new TftpRequest(TftpOpcode.ReadRequest, "boot.img", "binary", []))).Code);
    }

    [Theory]
    [InlineData("blksize", "4")]
    [InlineData("blksize", "x")]
    [InlineData("tsize", "")]
    public void BadOption_IsErrorEight(string name, string value)
    {
        var kit = new TftpServerKit();
        Assert.Equal(TftpErrorCode.OptionNegotiation, SingleError(kit.Read("boot.img", (name, value))).Code);
        Assert.Equal(0, kit.Server.SessionCount);
    }

    [Fact]
    public void DuplicateOption_IsErrorEight()
    {
        var kit = new TftpServerKit();
        Assert.Equal(TftpErrorCode.OptionNegotiation, SingleError(kit.Read("boot.img", ("tsize", "0"), ("Tsize", "0"))).Code);
    }

    [Fact]
    public void FileTooLargeForTheBlockSize_IsRefused()
    {
        var kit = new TftpServerKit();
        kit.Catalog.Add("huge.img", 8L << 32);
        Assert.Equal(TftpErrorCode.DiskFull, SingleError(kit.Read("huge.img", ("blksize", "8"))).Code);
        Assert.IsType<TftpSessionStarted>(kit.Read("huge.img", ("blksize", "512"))[0]);
    }
}

public class TftpServer_OptionAckWait
{
    static (TftpServerKit Kit, TftpSessionStarted Started, byte[] OptionAck) Waiting(TftpServerOptions? options = null)
    {
        var kit = new TftpServerKit(options);
        var actions = kit.Read("boot.img", ("blksize", "1024"));
        return (kit, (TftpSessionStarted)actions[0], ((TftpSendDatagram)actions[1]).Payload);
    }

    [Fact]
    public void OptionAck_IsNotResentOnATimer_TheSessionEndsAfterSilence()
    {
        // atftp aborts on a second OACK ("unexpected OACK"): a lost ACK 0 is the client's to repeat.
        var (kit, started, _) = Waiting(new TftpServerOptions { MaxRetransmissions = 2 });
        Assert.Empty(kit.Advance(2999)); // (2 + 1) timeouts of 1000 ms
        var end = Assert.IsType<TftpSessionEnded>(Assert.Single(kit.Advance(1)));
        Assert.Equal((started.StreamId, started.TransferPort, TftpEndReason.Timeout), (end.StreamId, end.TransferPort, end.Reason));
        Assert.Equal(0, kit.Server.SessionCount);
        Assert.Equal(long.MaxValue, kit.Server.NextDeadline);
        Assert.Equal(0, kit.Server.Counters.OptionAckResends);
    }

    [Fact]
    public void LostOptionAck_IsResentWhenTheClientRepeatsItsRequest_AndTheWaitStartsAgain()
    {
        var (kit, started, oack) = Waiting(new TftpServerOptions { MaxRetransmissions = 2 });
        kit.Now += 2500;
        var resend = Assert.IsType<TftpSendDatagram>(Assert.Single(kit.Read("boot.img", ("blksize", "1024"))));
        Assert.Equal((started.TransferPort, oack), (resend.FromPort, resend.Payload));
        Assert.Empty(kit.Advance(2999));
        Assert.Equal(1, kit.Server.Counters.OptionAckResends);
        var delegated = kit.Send(started.TransferPort, new TftpAck(0));
        Assert.Single(delegated.OfType<TftpDelegate>());
    }

    [Fact]
    public void ClientAckZeroRepeated_AfterDelegation_IsNotASecondDelegation()
    {
        var (kit, started, _) = Waiting();
        Assert.Single(kit.Send(started.TransferPort, new TftpAck(0)).OfType<TftpDelegate>());
        Assert.Empty(kit.Send(started.TransferPort, new TftpAck(0)).OfType<TftpDelegate>());
    }

    [Fact]
    public void RepeatedRequest_GetsTheSameOptionAck_NotASecondSession()
    {
        var (kit, started, oack) = Waiting();
        var again = Assert.IsType<TftpSendDatagram>(Assert.Single(kit.Read("boot.img", ("blksize", "1024"))));
        Assert.Equal((started.TransferPort, oack), (again.FromPort, again.Payload));
        Assert.Equal(1, kit.Server.SessionCount);
    }

    [Fact]
    public void ClientRefusesTheOptionAck_SessionEndsWithoutBoard()
    {
        var (kit, started, _) = Waiting();
        var end = Assert.IsType<TftpSessionEnded>(Assert.Single(kit.Send(started.TransferPort, new TftpError(TftpErrorCode.OptionNegotiation, "no"))));
        Assert.Equal(TftpEndReason.ClientError, end.Reason);
    }

    [Fact]
    public void AckOfAnotherBlock_IsIgnored()
    {
        var (kit, started, _) = Waiting();
        Assert.Empty(kit.Send(started.TransferPort, new TftpAck(1)));
        Assert.Equal(TftpSessionState.WaitingForOptionAck, kit.Server.FindSessionByPort(started.TransferPort)!.State);
    }
}

public class TftpServer_Configuration
{
    [Theory]
    [InlineData(-1, 1000, 1500, 64)]
    [InlineData(256, 1000, 1500, 64)]
    [InlineData(5, 0, 1500, 64)]
    [InlineData(5, 70_000, 1500, 64)]
    [InlineData(5, 1000, 40, 64)]
    [InlineData(5, 1000, 1500, 0)]
    public void OptionsOutOfRange_AreRefusedAtConstruction(int retransmissions, int timeoutMs, int mtu, int window)
    {
        var options = new TftpServerOptions { MaxRetransmissions = retransmissions, DefaultTimeoutMs = timeoutMs, PathMtu = mtu, MaxWindowSize = window };
        Assert.Throws<ArgumentException>(() => new TftpServer(new InMemoryTftpCatalog(), options));
    }

    [Fact]
    public void EmptyPortRange_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => new TftpServer(new InMemoryTftpCatalog(),
            new TftpServerOptions { FirstTransferPort = 60000, LastTransferPort = 59999 }));
    }
}
