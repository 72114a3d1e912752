using System.Collections.Concurrent;
using Atcp.Emulation.W5500;
using Atcp.Wire;
using Atcp.Wire.Atcp;

namespace Atcp.Firmware.Tests.VirtualBoard;

/// <summary>An ATCP front-end for tests, on the board's in-memory cable: it sees every frame the
/// board's W5500 puts on the wire and delivers frames to the chip. ATCP frames are sealed and
/// checked with the wire library as the real front-end does (sender id 0).</summary>
public sealed class TestFrontEnd
{
    /// <summary>The front-end's MAC.</summary>
    public static readonly byte[] Mac = [0x02, 0xFE, 0x00, 0x00, 0x00, 0x01];
    /// <summary>Broadcast.</summary>
    public static readonly byte[] Broadcast = [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF];
    /// <summary>The cluster the tests use.</summary>
    public const uint ClusterId = 0xA7C90001;

    readonly W5500Model _chip;
    readonly BlockingCollection<byte[]> _frames = new();
    readonly AtcpFrameWriter _writer;
    readonly AtcpFrameReader _reader;
    readonly byte[] _out = new byte[1600];

    /// <summary>Attaches to the chip's cable.</summary>
    public TestFrontEnd(W5500Model chip, byte[] key, uint epoch = 7)
    {
        _chip = chip;
        chip.FrameSent += frame => _frames.Add(frame.ToArray()); // runs under the chip's lock: just queue
        _writer = new AtcpFrameWriter(ClusterId, key, 0, 0, Mac, 0, epoch);
        _reader = new AtcpFrameReader(ClusterId, key, 0, 0, 16);
    }

    /// <summary>Frames taken from the wire that no Expect call wanted (in order).</summary>
    public List<byte[]> Skipped { get; } = [];

    /// <summary>Seals message and delivers it to the board (to its MAC, or broadcast).</summary>
    public void Send(IAtcpMessage message, byte[]? destination = null)
    {
        lock (_out)
        {
            int length = _writer.Write(_out, 0, destination ?? Broadcast, 0, message, 0);
            Assert.True(length > 0, "the writer refused to seal " + message.MessageType);
            _chip.Deliver(_out.AsSpan(0, length));
        }
    }

    /// <summary>Delivers a raw frame.</summary>
    public void Deliver(byte[] frame) => _chip.Deliver(frame);

    /// <summary>The next frame from the board, or null after limit.</summary>
    public byte[]? Take(TimeSpan limit) => _frames.TryTake(out var frame, limit) ? frame : null;

    /// <summary>Reads frame as ATCP; true with the message type and body when it is an authentic one.</summary>
    public bool TryRead(byte[] frame, out AtcpMessageType type, out int body, out int bodyLength)
    {
        type = 0; body = bodyLength = 0;
        if (frame.Length < 14 || frame[12] != 0x88 || frame[13] != 0xB5) return false;
        if (_reader.Read(frame, 0, frame.Length) != ParseStatus.Ok) return false;
        type = (AtcpMessageType)_reader.MessageType;
        body = _reader.BodyOffset;
        bodyLength = _reader.BodyLength;
        return true;
    }

    /// <summary>Waits for an ATCP message of type (others are kept in <see cref="Skipped"/>) and
    /// parses it into repr; returns the whole frame.</summary>
    public byte[] Expect(AtcpMessageType type, IAtcpMessage repr, TimeSpan? limit = null)
    {
        var deadline = DateTime.UtcNow + (limit ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            byte[]? frame = left > TimeSpan.Zero ? Take(left) : null;
            if (frame == null) throw new TimeoutException("no " + type + " from the board in time; skipped " + Skipped.Count + " frames");
            if (TryRead(frame, out var got, out int body, out int length) && got == type)
            {
                Assert.Equal(ParseStatus.Ok, repr.Parse(frame, body, length));
                return frame;
            }
            Skipped.Add(frame);
        }
    }
}
