using Atcp.Frontend.Net;

namespace Atcp.Frontend.Tests.Net;

/// <summary>The keyed hash and the RFC 6528 ISN generator.</summary>
public class SequenceSecretsTests
{
    [Fact]
    public void SipHash24_PaperVector_Matches()
    {
        // SipHash paper, appendix A: key 00..0f, message 00..0e, output a129ca6149be45e5.
        byte[] key = Enumerable.Range(0, 16).Select(i => (byte)i).ToArray();
        byte[] message = Enumerable.Range(0, 15).Select(i => (byte)i).ToArray();
        var (k0, k1) = SipHash.Key(key);
        Assert.Equal(0xa129ca6149be45e5UL, SipHash.Hash(k0, k1, message));
    }

    [Fact]
    public void SipHash24_EmptyMessage_MatchesReferenceTable()
    {
        // Reference implementation's vectors.h, first entry (empty input): 31 0e 0e dd 47 db 6f 72.
        byte[] key = Enumerable.Range(0, 16).Select(i => (byte)i).ToArray();
        var (k0, k1) = SipHash.Key(key);
        Assert.Equal(0x726fdb47dd0e0e31UL, SipHash.Hash(k0, k1, []));
    }

    [Fact]
    public void InitialSequence_AdvancesWithTheClockAndDiffersPerConnection()
    {
        var s = new SequenceSecrets(new byte[16]);
        uint a = s.InitialSequence(1, 80, 2, 40000, 1000);
        uint b = s.InitialSequence(1, 80, 2, 40000, 1004);
        uint other = s.InitialSequence(1, 80, 2, 40001, 1000);
        Assert.Equal(1000u, unchecked(b - a)); // 4 ms of a 4 us clock (RFC 6528)
        Assert.NotEqual(a, other);
    }

    [Fact]
    public void InitialSequence_DependsOnTheSecret()
    {
        var s1 = new SequenceSecrets(new byte[16]);
        var s2 = new SequenceSecrets(Enumerable.Repeat((byte)7, 16).ToArray());
        Assert.NotEqual(s1.InitialSequence(1, 80, 2, 40000, 0), s2.InitialSequence(1, 80, 2, 40000, 0));
    }
}
