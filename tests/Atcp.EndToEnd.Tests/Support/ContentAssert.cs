using System.Security.Cryptography;
using Xunit.Sdk;

namespace Atcp.EndToEnd.Tests.Support;

/// <summary>Byte-exact comparisons of downloads with their source files, by SHA-256, saying where the
/// first wrong byte is when they differ.</summary>
public static class ContentAssert
{
    /// <summary>Lower-case hex SHA-256 of a whole file.</summary>
    public static string Sha256(string path)
    {
        using var file = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(file));
    }

    /// <summary>Lower-case hex SHA-256 of length bytes of a file from offset.</summary>
    public static string Sha256(string path, long offset, long length)
    {
        using var file = File.OpenRead(path);
        file.Position = offset;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 20];
        while (length > 0)
        {
            int n = file.Read(buffer, 0, (int)Math.Min(buffer.Length, length));
            if (n == 0) throw new EndOfStreamException(path + " ends before the range to hash");
            hash.AppendData(buffer, 0, n);
            length -= n;
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>Lower-case hex SHA-256 of bytes.</summary>
    public static string Sha256(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>Fails unless the downloaded file holds exactly the source's bytes from offset (length
    /// bytes, default to the end): same length, same SHA-256.</summary>
    public static void SameBytes(string source, string downloaded, string what, long offset = 0, long? length = null)
    {
        long expectedLength = length ?? new FileInfo(source).Length - offset;
        if (!File.Exists(downloaded)) throw new XunitException(what + ": nothing downloaded (no " + downloaded + ")");
        long actualLength = new FileInfo(downloaded).Length;
        string expected = Sha256(source, offset, expectedLength);
        string actual = actualLength == expectedLength ? Sha256(downloaded) : "(length differs)";
        if (expected == actual) return;
        throw new XunitException(what + ": downloaded bytes differ from the source: " +
            actualLength + " bytes for " + expectedLength + " expected; sha256 " + actual + " for " + expected + "; " +
            FirstDifference(source, offset, downloaded, actualLength, expectedLength));
    }

    static string FirstDifference(string source, long offset, string downloaded, long actualLength, long expectedLength)
    {
        long length = Math.Min(actualLength, expectedLength);
        using var a = File.OpenRead(source);
        using var b = File.OpenRead(downloaded);
        a.Position = offset;
        var bufferA = new byte[1 << 16];
        var bufferB = new byte[1 << 16];
        for (long done = 0; done < length;)
        {
            int n = (int)Math.Min(bufferA.Length, length - done);
            a.ReadExactly(bufferA, 0, n);
            b.ReadExactly(bufferB, 0, n);
            int i = bufferA.AsSpan(0, n).CommonPrefixLength(bufferB.AsSpan(0, n));
            if (i < n)
            {
                long at = done + i;
                // Stamped data (StampedData) names the offset the wrong page came from.
                long? stamp = StampedData.StampAt(bufferB.AsSpan(0, n), done, at);
                long? wanted = StampedData.StampAt(bufferA.AsSpan(0, n), done, at);
                return "first difference at byte " + at + " of the download (source offset " + (offset + at) + ")" +
                    (stamp != null && wanted != null && stamp != wanted ? "; the page there is stamped " + stamp + " instead of " + wanted : "");
            }
            done += n;
        }
        return "the first " + length + " bytes are right: the download is " + (actualLength < expectedLength ? "short" : "too long");
    }
}
