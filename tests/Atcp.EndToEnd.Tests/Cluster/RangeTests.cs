using System.Text.RegularExpressions;
using Atcp.EndToEnd.Tests.Support;
using static Atcp.EndToEnd.Tests.Support.TestbedHosts;

namespace Atcp.EndToEnd.Tests.Cluster;

/// <summary>Byte ranges with curl -r (RFC 9110 14): closed, open-ended and suffix ranges come back
/// as 206 with the right Content-Range and exactly those bytes; a range past the end is 416.</summary>
[Collection(ClusterCollection.Name)]
public class RangeTests(ClusterFixture fixture)
{
    readonly ClusterContent _content = fixture.Content;

    [Theory]
    [InlineData("mid/m3.bin", "0-0", 0L, 1L)]
    [InlineData("mid/m3.bin", "1000-1999", 1000L, 1000L)]
    // Across a 4 KiB stamp and the 1 MiB block seam.
    [InlineData("mid/m3.bin", "1048000-1049999", 1048000L, 2000L)]
    // Open-ended: from 2 999 000 to the end.
    [InlineData("mid/m3.bin", "2999000-", 2999000L, 1017L)]
    // Suffix: the last 4097 bytes.
    [InlineData("mid/m3.bin", "-4097", 2995920L, 4097L)]
    // A last position past the end is cut to the end (RFC 9110 14.1.2).
    [InlineData("mid/m3.bin", "2999990-9999999", 2999990L, 27L)]
    // Deep in the 200 MiB object: a megabyte at 150 000 000, and its open-ended tail.
    [InlineData("large/big.bin", "150000000-150999999", 150000000L, 1000000L)]
    [InlineData("large/big.bin", "209000000-", 209000000L, 715200L)]
    [InlineData("large/big.bin", "-100000", 209615200L, 100000L)]
    [InlineData("cd:data/blob.bin", "2000000-2100000", 2000000L, 100001L)]
    [InlineData("cd:data/blob.bin", "-10", 4194301L, 10L)]
    public void Range_Returns206_WithExactlyThoseBytes(string name, string range, long offset, long length)
    {
        var item = _content[name];
        string body = fixture.ScratchFile("range.bin"), headers = fixture.ScratchFile("headers.txt");
        try
        {
            var transfer = Curl.Download(fixture.Testbed, Client, item.Url, body, TimeSpan.FromMinutes(1), "-r", range, "-D", headers);
            Assert.Equal(206, transfer.HttpCode);
            string head = File.ReadAllText(headers);
            Assert.Equal("bytes " + offset + "-" + (offset + length - 1) + "/" + item.Length, Header(head, "Content-Range"));
            Assert.Equal(length.ToString(), Header(head, "Content-Length"));
            ContentAssert.SameBytes(item.Source, body, "range " + range + " of " + item.Url, offset, length);
        }
        finally
        {
            File.Delete(body);
            File.Delete(headers);
        }
    }

    [Theory]
    [InlineData("mid/m3.bin", "3000017-")]
    [InlineData("mid/m3.bin", "99999999-100000000")]
    [InlineData("large/big.bin", "209715200-")]
    public void RangePastTheEnd_Is416_WithTheSize(string name, string range)
    {
        var item = _content[name];
        var (result, transfers) = Curl.Run(fixture.Testbed, Client, TimeSpan.FromSeconds(30), "-r", range, "-D", "-", "-o", "/dev/null", item.Url);
        result.EnsureSuccess();
        Assert.Equal(416, Assert.Single(transfers).HttpCode);
        // RFC 9110 15.5.17: a 416 to a byte range says the current length.
        Assert.Equal("bytes */" + item.Length, Header(result.Stdout, "Content-Range"));
    }

    [Fact]
    public void RangeFollowedByWholeObject_OnOneConnection_BothExact()
    {
        // A partial reply, then a whole one on the same connection: the front-end must start the
        // second reply where the first one ended in the TCP sequence space.
        var item = _content.Medium;
        string part = fixture.ScratchFile("part.bin"), whole = fixture.ScratchFile("whole.bin");
        try
        {
            var (result, transfers) = Curl.Run(fixture.Testbed, Client, TimeSpan.FromMinutes(1),
                "--fail", "-r", "500000-599999", "-o", part, item.Url,
                // --next starts a new option set (so -w again) but keeps the connection cache.
                "--next", "-sS", "--fail", "-w", "%{json}\\n", "-o", whole, item.Url);
            result.EnsureSuccess();
            Assert.Equal([206, 200], transfers.Select(t => t.HttpCode));
            Assert.Equal(1, transfers.Sum(t => t.NumConnects));
            ContentAssert.SameBytes(item.Source, part, "range of " + item.Url, 500000, 100000);
            ContentAssert.SameBytes(item.Source, whole, item.Url);
        }
        finally
        {
            File.Delete(part);
            File.Delete(whole);
        }
    }

    static string? Header(string head, string name)
    {
        var m = Regex.Match(head, "^" + Regex.Escape(name) + @":\s*(.*?)\r?$", RegexOptions.Multiline | RegexOptions.IgnoreCase);
        return m.Success ? m.Groups[1].Value : null;
    }
}
