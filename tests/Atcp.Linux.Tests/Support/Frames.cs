using System.Buffers.Binary;

namespace Atcp.Linux.Tests.Support;

/// <summary>Test frames: EtherType 0x88B6 (IEEE 802 local experimental 2), a 32-bit sequence number
/// after the header, then bytes derived from the sequence number, so any frame can be checked
/// byte for byte from its number alone.</summary>
public static class Frames
{
    public const ushort ExperimentalEtherType = 0x88B6;

    public static byte[] Make(byte[] destination, byte[] source, uint sequence, int length)
    {
        var frame = new byte[length];
        Fill(frame, destination, source, sequence);
        return frame;
    }

    public static void Fill(Span<byte> frame, byte[] destination, byte[] source, uint sequence)
    {
        destination.CopyTo(frame);
        source.CopyTo(frame[6..]);
        BinaryPrimitives.WriteUInt16BigEndian(frame[12..], ExperimentalEtherType);
        if (frame.Length >= 18) BinaryPrimitives.WriteUInt32BigEndian(frame[14..], sequence);
        for (int i = 18; i < frame.Length; i++) frame[i] = (byte)(sequence * 31 + i * 7);
    }

    public static uint Sequence(ReadOnlySpan<byte> frame) => BinaryPrimitives.ReadUInt32BigEndian(frame[14..]);

    public static bool IsTest(ReadOnlySpan<byte> frame) =>
        frame.Length >= 18 && BinaryPrimitives.ReadUInt16BigEndian(frame[12..]) == ExperimentalEtherType;

    public static readonly byte[] Broadcast = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff];
}
