using Atcp.Wire.Atcp;
using Atcp.Wire.Ethernet;

namespace Atcp.Wire.Tests.Atcp;

/// <summary>The frame pipeline: AtcpFrameWriter seals, AtcpFrameReader checks EtherType, version,
/// cluster, length, direction, tag and replay, and locates the body.</summary>
public class AtcpFrameTests
{
    public static IEnumerable<object[]> Names() => AtcpGolden.Names();

    [Theory, MemberData(nameof(Names))]
    public void Read_SealedFrame_IsOkAndLocatesTheBody(string name)
    {
        var message = AtcpGolden.Filled(name);
        var frame = AtcpFrames.Seal(message);
        var reader = AtcpFrames.ReceiverOf(message);
        var buffer = new byte[frame.Length + 7];
        frame.CopyTo(buffer, 7);

        Assert.Equal(ParseStatus.Ok, reader.Read(buffer, 7, frame.Length));
        Assert.Equal((byte)message.MessageType, reader.MessageType);
        Assert.Equal(7 + AtcpFrame.BodyOffset, reader.BodyOffset);
        Assert.Equal(message.Length, reader.BodyLength);
        bool fromFrontEnd = AtcpFrames.SentByFrontEnd(message);
        Assert.Equal(fromFrontEnd ? AtcpHeader.FrontEndId : AtcpFrames.BoardId, reader.SenderId);
        Assert.Equal(fromFrontEnd ? 3u : 5u, reader.Epoch);
        Assert.Equal(AtcpHex.Format(AtcpGolden.Body(name), 0, message.Length), AtcpHex.Format(buffer, reader.BodyOffset, reader.BodyLength));

        var parsed = AtcpGolden.Empty(name);
        Assert.Equal(ParseStatus.Ok, parsed.Parse(buffer, reader.BodyOffset, reader.BodyLength));
    }

    [Fact]
    public void Seal_WritesEthernetAndHeaderFields()
    {
        var writer = AtcpFrames.FrontEndWriter(epoch: 0x01020304);
        var frame = AtcpFrames.Seal(AtcpGolden.CommandRepr(), writer, AtcpHeaderFlags.Retransmission);
        Assert.Equal(AtcpGolden.BoardMac, frame[0..6]);
        Assert.Equal(AtcpGolden.FrontEndMac, frame[6..12]);
        Assert.Equal(EtherType.Atcp, EthernetHeader.GetEtherType(frame, 0));
        int h = AtcpFrame.HeaderOffset;
        Assert.Equal(1, AtcpHeader.GetVersion(frame, h));
        Assert.Equal((byte)AtcpMessageType.Command, AtcpHeader.GetMessageType(frame, h));
        Assert.Equal(AtcpHeaderFlags.Retransmission, AtcpHeader.GetFlags(frame, h));
        Assert.Equal(AtcpGolden.ClusterId, AtcpHeader.GetClusterId(frame, h));
        Assert.Equal(0, AtcpHeader.GetSenderId(frame, h));
        Assert.Equal(AtcpGolden.CommandRepr().Length, AtcpHeader.GetBodyLength(frame, h));
        Assert.Equal(0x0102030400000000ul, AtcpHeader.GetCounter(frame, h));
        Assert.Equal(AtcpFrame.Overhead + AtcpGolden.CommandRepr().Length, frame.Length);
    }

    [Fact]
    public void Seal_CountsFramesWithinTheEpoch()
    {
        var writer = AtcpFrames.BoardWriter(epoch: 9);
        var reader = AtcpFrames.FrontEndReader();
        for (uint i = 0; i < 5; i++)
        {
            var frame = AtcpFrames.Seal(AtcpGolden.DoneRepr(), writer);
            Assert.Equal(ParseStatus.Ok, reader.Read(frame, 0, frame.Length));
            Assert.Equal(((ulong)9 << 32) | i, reader.Counter);
        }
        Assert.Equal(5ul, writer.SealedInEpoch);
    }

    [Fact]
    public void Seal_ShortFrame_IsZeroPaddedTo60BytesAndPaddingIsNotCovered()
    {
        var writer = AtcpFrames.FrontEndWriter();
        var buffer = Enumerable.Repeat((byte)0xEE, 100).ToArray();
        int length = writer.Write(buffer, 0, AtcpGolden.BoardMac, 0, AtcpGolden.HelloRequestRepr(), 0);
        Assert.Equal(AtcpFrame.MinFrameLength, length);
        int sealedLength = AtcpFrame.SealedLength(AtcpHelloRequest.Length);
        Assert.Equal(46, sealedLength);
        Assert.All(buffer[sealedLength..60], b => Assert.Equal(0, b));
        Assert.Equal(0xEE, buffer[60]);

        buffer[59] = 0x55; // a NIC may pad with anything; the tag ends before the padding
        Assert.Equal(ParseStatus.Ok, AtcpFrames.BoardReader().Read(buffer, 0, length));
    }

    [Theory, MemberData(nameof(Names))]
    public void Read_AnySingleBitFlip_IsRefused(string name)
    {
        var message = AtcpGolden.Filled(name);
        var frame = AtcpFrames.Seal(message);
        int sealedLength = AtcpFrame.SealedLength(message.Length);
        for (int bit = 0; bit < frame.Length * 8; bit++)
        {
            var copy = (byte[])frame.Clone();
            copy[bit / 8] ^= (byte)(1 << (bit % 8));
            var status = AtcpFrames.ReceiverOf(message).Read(copy, 0, copy.Length);
            int at = bit / 8;
            var allowed = at switch
            {
                12 or 13 => [ParseStatus.BadField],                                         // EtherType
                14 => [ParseStatus.BadVersion],                                             // version
                15 => [ParseStatus.BadField, ParseStatus.BadTag],                           // type: direction may change
                >= 18 and <= 21 => [ParseStatus.WrongCluster],                              // cluster id
                22 or 23 => [ParseStatus.BadField, ParseStatus.BadTag],                     // sender: may become invalid
                24 or 25 => [ParseStatus.BadLength, ParseStatus.Truncated, ParseStatus.BadTag], // body length
                _ when at >= sealedLength => [ParseStatus.Ok],                              // padding
                _ => new[] { ParseStatus.BadTag },                                          // MACs, flags, counter, body, tag
            };
            Assert.True(allowed.Contains(status), $"{name}: flipping bit {bit % 8} of byte {at} gave {status}");
        }
    }

    [Fact]
    public void Read_OtherClusterOrOtherKey_IsRefused()
    {
        var other = new AtcpFrameWriter(AtcpGolden.ClusterId + 1, AtcpGolden.Key, 0, 0, AtcpGolden.FrontEndMac, 0, 1);
        var frame = AtcpFrames.Seal(AtcpGolden.CommandRepr(), other);
        Assert.Equal(ParseStatus.WrongCluster, AtcpFrames.BoardReader().Read(frame, 0, frame.Length));

        var key = (byte[])AtcpGolden.Key.Clone();
        key[15] ^= 0x80;
        var wrongKey = new AtcpFrameWriter(AtcpGolden.ClusterId, key, 0, 0, AtcpGolden.FrontEndMac, 0, 1);
        frame = AtcpFrames.Seal(AtcpGolden.CommandRepr(), wrongKey);
        Assert.Equal(ParseStatus.BadTag, AtcpFrames.BoardReader().Read(frame, 0, frame.Length));
    }

    [Fact]
    public void Read_BodyLengthBeyondLimitOrFrame_IsRefused()
    {
        var frame = AtcpFrames.Seal(AtcpGolden.AbortRepr());
        var copy = (byte[])frame.Clone();
        AtcpHeader.SetBodyLength(copy, AtcpFrame.HeaderOffset, AtcpFrame.MaxBodyLength + 1);
        Assert.Equal(ParseStatus.BadLength, AtcpFrames.BoardReader().Read(copy, 0, copy.Length));
        AtcpHeader.SetBodyLength(copy, AtcpFrame.HeaderOffset, 100);
        Assert.Equal(ParseStatus.Truncated, AtcpFrames.BoardReader().Read(copy, 0, copy.Length));
    }

    [Fact]
    public void Seal_BodyLongerThanAFrame_IsRefused()
    {
        var writer = AtcpFrames.FrontEndWriter();
        var buffer = new byte[2000];
        writer.Begin(buffer, 0, AtcpGolden.BoardMac, 0, AtcpMessageType.Command, 0);
        Assert.Equal(0, writer.Seal(buffer, 0, AtcpFrame.MaxBodyLength + 1));
        Assert.Equal(0ul, writer.SealedInEpoch);
        Assert.Equal(AtcpFrame.MaxFrameLength, writer.Seal(buffer, 0, AtcpFrame.MaxBodyLength));
    }

    [Fact]
    public void Seal_AfterTheLastCountOfAnEpoch_RefusesUntilANewEpoch()
    {
        var writer = AtcpFrames.FrontEndWriter();
        writer.StartEpoch(4, 0xFFFFFFFF);
        var last = AtcpFrames.Seal(AtcpGolden.AbortRepr(), writer);
        Assert.Equal(0x00000004FFFFFFFFul, AtcpHeader.GetCounter(last, AtcpFrame.HeaderOffset));
        Assert.True(writer.Exhausted);
        var buffer = new byte[100];
        Assert.Equal(0, writer.Write(buffer, 0, AtcpGolden.BoardMac, 0, AtcpGolden.AbortRepr(), 0));

        writer.StartEpoch(5);
        var next = AtcpFrames.Seal(AtcpGolden.AbortRepr(), writer);
        var reader = AtcpFrames.BoardReader();
        Assert.Equal(ParseStatus.Ok, reader.Read(last, 0, last.Length));
        Assert.Equal(ParseStatus.Ok, reader.Read(next, 0, next.Length));
        Assert.Equal(0x0000000500000000ul, reader.Counter);
    }

    [Fact]
    public void Read_VersionOtherThanOne_IsBadVersionEvenWithAValidTag()
    {
        var frame = AtcpFrames.Seal(AtcpGolden.AbortRepr());
        frame[AtcpFrame.HeaderOffset + AtcpHeader.VersionOffset] = 2;
        Reseal(frame);
        Assert.Equal(ParseStatus.BadVersion, AtcpFrames.BoardReader().Read(frame, 0, frame.Length));
    }

    [Fact]
    public void Read_OtherEtherTypeOrRunt_IsRefused()
    {
        var frame = AtcpFrames.Seal(AtcpGolden.AbortRepr());
        EthernetHeader.SetEtherType(frame, 0, EtherType.IPv4);
        Assert.Equal(ParseStatus.BadField, AtcpFrames.BoardReader().Read(frame, 0, frame.Length));
        Assert.Equal(ParseStatus.Truncated, AtcpFrames.BoardReader().Read(frame, 0, AtcpFrame.Overhead - 1));
    }

    [Fact]
    public void Read_MessageFromTheWrongSide_IsBadField()
    {
        // A board hears another board's HELLO (e.g. broadcast): not for it.
        var hello = AtcpFrames.Seal(AtcpGolden.HelloRepr());
        Assert.Equal(ParseStatus.BadField, AtcpFrames.BoardReader().Read(hello, 0, hello.Length));
        Assert.Equal(ParseStatus.Ok, AtcpFrames.FrontEndReader().Read(hello, 0, hello.Length));

        // A board claiming to send a COMMAND; the front-end hearing its own COMMAND.
        var boardCommand = AtcpFrames.Seal(AtcpGolden.CommandRepr(), AtcpFrames.BoardWriter());
        Assert.Equal(ParseStatus.BadField, AtcpFrames.FrontEndReader().Read(boardCommand, 0, boardCommand.Length));
        var command = AtcpFrames.Seal(AtcpGolden.CommandRepr());
        Assert.Equal(ParseStatus.BadField, AtcpFrames.FrontEndReader().Read(command, 0, command.Length));

        // Sender 65535 is reserved everywhere, even for an observer.
        var reserved = new AtcpFrameWriter(AtcpGolden.ClusterId, AtcpGolden.Key, 0, AtcpHeader.ReservedId, AtcpGolden.BoardMac, 0, 1);
        var frame = AtcpFrames.Seal(AtcpGolden.AbortRepr(), reserved);
        Assert.Equal(ParseStatus.BadField, AtcpFrames.ObserverReader().Read(frame, 0, frame.Length));

        // ABORT goes both ways; an observer accepts everything authentic.
        var boardAbort = AtcpFrames.Seal(AtcpGolden.AbortRepr(), AtcpFrames.BoardWriter());
        Assert.Equal(ParseStatus.Ok, AtcpFrames.FrontEndReader().Read(boardAbort, 0, boardAbort.Length));
        Assert.Equal(ParseStatus.Ok, AtcpFrames.ObserverReader().Read(boardCommand, 0, boardCommand.Length));
    }

    [Fact]
    public void Read_UnknownMessageType_IsUnknownWithNumberAndBodyKept()
    {
        var writer = AtcpFrames.FrontEndWriter();
        var buffer = new byte[100];
        int body = writer.Begin(buffer, 0, AtcpGolden.BoardMac, 0, (AtcpMessageType)0x3F, 0);
        buffer[body] = 0xAB;
        buffer[body + 1] = 0xCD;
        int length = writer.Seal(buffer, 0, 2);

        var reader = AtcpFrames.BoardReader();
        Assert.Equal(ParseStatus.Unknown, reader.Read(buffer, 0, length));
        Assert.Equal(0x3F, reader.MessageType);
        Assert.Equal("UNKNOWN_63", AtcpMessageTypes.Name(reader.MessageType));
        Assert.Equal((AtcpFrame.BodyOffset, 2), (reader.BodyOffset, reader.BodyLength));
        Assert.Equal(0xCDAB, buffer[reader.BodyOffset] | (buffer[reader.BodyOffset + 1] << 8));
        // It was authentic, so its counter is now used.
        Assert.Equal(ParseStatus.Replayed, reader.Read(buffer, 0, length));

        // An unknown type in the board-to-front-end range is filtered by direction all the same.
        writer.Begin(buffer, 0, AtcpGolden.BoardMac, 0, (AtcpMessageType)0xBF, 0);
        length = writer.Seal(buffer, 0, 0);
        Assert.Equal(ParseStatus.BadField, AtcpFrames.BoardReader().Read(buffer, 0, length));
    }

    [Theory, MemberData(nameof(Names))]
    public void Read_EveryTruncation_IsRefusedUntilTheTagEnds(string name)
    {
        var message = AtcpGolden.Filled(name);
        var frame = AtcpFrames.Seal(message);
        int sealedLength = AtcpFrame.SealedLength(message.Length);
        for (int length = 0; length <= frame.Length; length++)
        {
            var cut = frame.Take(length).ToArray();
            var status = AtcpFrames.ReceiverOf(message).Read(cut, 0, length);
            if (length < sealedLength) Assert.NotEqual(ParseStatus.Ok, status);
            else Assert.Equal(ParseStatus.Ok, status);
        }
    }

    [Fact]
    public void Read_RandomFrames_NeverThrowAndAreNeverAccepted()
    {
        var random = new Random(77);
        var reader = AtcpFrames.ObserverReader();
        for (int i = 0; i < 20000; i++)
        {
            var frame = new byte[random.Next(0, 200)];
            random.NextBytes(frame);
            if (frame.Length >= AtcpFrame.BodyOffset && i % 2 == 0)
            {
                // Get past the cheap checks so the tag and body paths run too.
                EthernetHeader.SetEtherType(frame, 0, EtherType.Atcp);
                frame[AtcpFrame.HeaderOffset] = 1;
                AtcpHeader.SetClusterId(frame, AtcpFrame.HeaderOffset, AtcpGolden.ClusterId);
                AtcpHeader.SetBodyLength(frame, AtcpFrame.HeaderOffset, (ushort)random.Next(0, 180));
            }
            var status = reader.Read(frame, 0, frame.Length);
            Assert.NotEqual(ParseStatus.Ok, status);
            Assert.NotEqual(ParseStatus.Unknown, status);
        }
    }

    /// <summary>Recomputes the tag after a test edits covered bytes on purpose.</summary>
    static void Reseal(byte[] frame)
    {
        int covered = AtcpFrame.BodyOffset + AtcpHeader.GetBodyLength(frame, AtcpFrame.HeaderOffset);
        ulong tag = SipHash24.Compute(SipHash24.KeyHalf(AtcpGolden.Key, 0), SipHash24.KeyHalf(AtcpGolden.Key, 8), frame, 0, covered);
        LittleEndian.WriteUInt64(frame, covered, tag);
    }
}
