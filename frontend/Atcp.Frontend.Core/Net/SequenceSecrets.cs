using System.Buffers.Binary;

namespace Atcp.Frontend.Net;

/// <summary>What a SYN cookie remembers of the client's SYN.</summary>
public readonly record struct SynCookieOptions(int Mss, bool SackPermitted, bool HasWindowScale, int WindowScale);

/// <summary>Initial sequence numbers (RFC 6528) and SYN cookies (RFC 4987 section 3.6), both from
/// one keyed hash so nobody off-path can predict them.</summary>
/// <remarks>
/// Cookie layout (32 bits, the ISN of the SYN-ACK):
/// <code>
///  31..30  time counter mod 4 (counter = now / 64 s; a cookie is good for the current and the previous count)
///  29..28  MSS index into 536, 1220, 1440, 1460 (largest not above the client's MSS)
///  27      client sent SACK-permitted
///  26..24  client window scale: 0 = no option, else index into 0, 2, 5, 6, 7, 8, 9
///  23..0   SipHash of (key, addresses, ports, client ISN, counter, bits 31..24)
/// </code>
/// Classic cookies drop window scale and SACK unless timestamps carry them; we do not use
/// timestamps (see README), so the top byte carries them instead and the hash covers that byte, so
/// a forger cannot pick it. Window scales round down to the table: believing a smaller shift than
/// the client's only makes us (and the boards) assume a smaller window, which is safe. A 24-bit hash
/// is what Linux uses too.
/// </remarks>
public sealed class SequenceSecrets
{
    /// <summary>Length of one cookie time step in ms (Linux uses 60 s; a power-of-two-ish 64 s is as good).</summary>
    public const long CookiePeriodMs = 64_000;
    static readonly int[] CookieMss = [536, 1220, 1440, 1460];
    static readonly int[] CookieShifts = [0, 2, 5, 6, 7, 8, 9];

    readonly ulong _k0, _k1;

    /// <summary>Keys the generator with a 16-byte secret.</summary>
    public SequenceSecrets(byte[] secret)
    {
        (_k0, _k1) = SipHash.Key(secret);
    }

    /// <summary>RFC 6528 ISN: a 4-microsecond clock (M) plus a keyed hash of the connection's
    /// addresses and ports (F).</summary>
    public uint InitialSequence(uint localAddress, ushort localPort, uint remoteAddress, ushort remotePort, long now)
    {
        Span<byte> input = stackalloc byte[12];
        WriteTuple(input, localAddress, localPort, remoteAddress, remotePort);
        uint f = (uint)SipHash.Hash(_k0, _k1, input);
        return unchecked((uint)(now * 250) + f);
    }

    /// <summary>The cookie ISN for a SYN from remote with client ISN clientIsn and its options.</summary>
    public uint MakeCookie(uint localAddress, ushort localPort, uint remoteAddress, ushort remotePort, uint clientIsn,
        SynCookieOptions options, long now)
    {
        long counter = now / CookiePeriodMs;
        int mssIndex = 0;
        for (int i = CookieMss.Length - 1; i >= 0; i--)
            if (CookieMss[i] <= options.Mss) { mssIndex = i; break; }
        int shiftIndex = 0;
        if (options.HasWindowScale)
        {
            shiftIndex = 1;
            for (int i = CookieShifts.Length - 1; i >= 0; i--)
                if (CookieShifts[i] <= options.WindowScale) { shiftIndex = i + 1; break; }
        }
        uint top = (uint)(((counter & 3) << 6) | ((long)mssIndex << 4) | (options.SackPermitted ? 8L : 0) | (long)shiftIndex);
        return (top << 24) | CookieHash(localAddress, localPort, remoteAddress, remotePort, clientIsn, counter, top);
    }

    /// <summary>Checks the cookie an ACK returns (its ack number - 1) against the client ISN (its
    /// sequence number - 1). True and the options when it is ours and at most one period old.</summary>
    public bool CheckCookie(uint localAddress, ushort localPort, uint remoteAddress, ushort remotePort, uint clientIsn,
        uint cookie, long now, out SynCookieOptions options)
    {
        options = default;
        uint top = cookie >> 24;
        long counter = now / CookiePeriodMs;
        for (int age = 0; age <= 1; age++)
        {
            long c = counter - age;
            if (c < 0 || (c & 3) != (top >> 6)) continue;
            if (CookieHash(localAddress, localPort, remoteAddress, remotePort, clientIsn, c, top) != (cookie & 0xFFFFFF)) return false;
            int shiftIndex = (int)(top & 7);
            if (shiftIndex > CookieShifts.Length) return false;
            options = new SynCookieOptions(CookieMss[(top >> 4) & 3], (top & 8) != 0, shiftIndex != 0,
                shiftIndex == 0 ? 0 : CookieShifts[shiftIndex - 1]);
            return true;
        }
        return false;
    }

    uint CookieHash(uint localAddress, ushort localPort, uint remoteAddress, ushort remotePort, uint clientIsn, long counter, uint top)
    {
        Span<byte> input = stackalloc byte[28];
        WriteTuple(input, localAddress, localPort, remoteAddress, remotePort);
        BinaryPrimitives.WriteUInt32BigEndian(input[12..], clientIsn);
        BinaryPrimitives.WriteInt64BigEndian(input[16..], counter);
        BinaryPrimitives.WriteUInt32BigEndian(input[24..], top);
        return (uint)SipHash.Hash(_k0, _k1, input) & 0xFFFFFF;
    }

    static void WriteTuple(Span<byte> input, uint localAddress, ushort localPort, uint remoteAddress, ushort remotePort)
    {
        BinaryPrimitives.WriteUInt32BigEndian(input, localAddress);
        BinaryPrimitives.WriteUInt16BigEndian(input[4..], localPort);
        BinaryPrimitives.WriteUInt32BigEndian(input[6..], remoteAddress);
        BinaryPrimitives.WriteUInt16BigEndian(input[10..], remotePort);
    }
}
