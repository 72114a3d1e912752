using System.Text.Json;
using Atcp.EndToEnd.Tests.Support;
using Atcp.TestSupport;
using Xunit.Abstractions;
using static Atcp.EndToEnd.Tests.Support.TestbedHosts;

namespace Atcp.EndToEnd.Tests.Cluster;

/// <summary>TFTP reads from the service address with real clients (curl, tftp-hpa, atftp): the
/// front-end answers the request and options, a board sends the DATA from its card or CD. Every
/// download is compared byte for byte with its source; missing files give each client its TFTP
/// error; hostile datagrams get an ERROR or nothing, and the service goes on.</summary>
[Collection(ClusterCollection.Name)]
public class TftpTests(ClusterFixture fixture, ITestOutputHelper output)
{
    readonly ClusterContent _content = fixture.Content;

    [Fact]
    public void Curl_SmallFiles_AndAnExactMultipleOfTheBlockSize_AreExact()
    {
        foreach (var item in new[] { _content["small/one.txt"], _content["small/o1461.bin"], _content["small/o65536.bin"] })
            Fetch("curl", item, file => TftpClients.Curl(fixture.Testbed, Client, TftpClients.NameOf(item), file));
        // blksize 1428 is answered with 1168 (4 x 292): 7 full blocks, then the empty one.
        var exact = _content.TftpExact1168;
        Fetch("curl --tftp-blksize 1428", exact, file => TftpClients.Curl(fixture.Testbed, Client, TftpClients.NameOf(exact), file, 1428));
    }

    [Fact]
    public void TftpHpa_SmallFiles_AnExactMultipleOf512_AndACdFile_AreExact()
    {
        // tftp-hpa sends no options: 512-byte blocks, one at a time (RFC 1350).
        foreach (var item in new[] { _content["small/one.txt"], _content["small/o1461.bin"], _content.TftpExact512, _content["cd:docs/manual.txt"] })
            Fetch("tftp-hpa", item, file => TftpClients.Hpa(fixture.Testbed, Client, TftpClients.NameOf(item), file));
    }

    [Fact]
    public void Atftp_ExactMultiple_AndCdFile_WithWindow8_AreExact()
    {
        string[] options = ["blksize 1428", "windowsize 8"];
        foreach (var item in new[] { _content.TftpExact1168, _content["cd:data/blob.bin"], _content.TftpExact512, _content["small/empty.dat"] })
            Fetch("atftp", item, file => TftpClients.Atftp(fixture.Testbed, Client, TftpClients.NameOf(item), file, options));
    }

    [Fact]
    public void Atftp_FiftyMegabytes_Blksize1428_Window8_IsExact()
    {
        var item = _content.TftpLarge;
        var run = Fetch("atftp", item, file => TftpClients.Atftp(fixture.Testbed, Client, TftpClients.NameOf(item), file,
            ["blksize 1428", "windowsize 8"], timeout: TimeSpan.FromMinutes(3)));
        Assert.Contains("windowsize = 8", run.Output);
        output.WriteLine("atftp blksize 1428 (1168) windowsize 8: " + item.Length + " bytes in " + run.Elapsed.TotalSeconds.ToString("0.0") +
            " s, " + (item.Length / run.Elapsed.TotalSeconds / 1e6).ToString("0.00") + " MB/s");
    }

    [Fact]
    public void CdFiles_WithCurl_AreExact()
    {
        foreach (var item in _content.CdFiles)
            Fetch("curl", item, file => TftpClients.Curl(fixture.Testbed, Client, TftpClients.NameOf(item), file, 1428));
    }

    [Fact]
    public void MissingFile_GivesEachClientTheTftpError()
    {
        const string name = "no/such/object.bin";
        var curl = TftpClients.Curl(fixture.Testbed, Client, name, fixture.ScratchFile("missing"));
        Assert.True(curl.Result.ExitCode == 68, "curl should exit 68 (TFTP: file not found): " + curl.Result.Describe()); // CURLE_TFTP_NOTFOUND
        var hpa = TftpClients.Hpa(fixture.Testbed, Client, name, fixture.ScratchFile("missing"));
        Assert.Contains("Error code 1: File not found", hpa.Output);
        var atftp = TftpClients.Atftp(fixture.Testbed, Client, name, fixture.ScratchFile("missing"), ["windowsize 8"]);
        Assert.NotEqual(0, atftp.Result.ExitCode);
        Assert.Contains("<File not found>", atftp.Output);
        var cd = TftpClients.Curl(fixture.Testbed, Client, "cd/" + ClusterContent.Volume + "/NOPE.TXT", fixture.ScratchFile("missing"));
        Assert.True(cd.Result.ExitCode == 68, "a missing CD file: " + cd.Result.Describe());
    }

    [Fact]
    public void HostileDatagrams_GetAnErrorOrNothing_AndTheServiceGoesOn()
    {
        string script = RepoPaths.Under("tests", "Atcp.EndToEnd.Tests", "Cluster", "Scripts", "tftp_hostile.py");
        var small = _content["small/o1461.bin"];
        var result = fixture.Testbed.Exec(TimeSpan.FromMinutes(3), Client, Support.Testbed.Python, script, ServiceIp, TftpClients.NameOf(small)).EnsureSuccess();
        var report = Support.Testbed.LastJson(result.Stdout, "tftp_hostile.py");
        var cases = report.GetProperty("cases").EnumerateArray().ToDictionary(c => c.GetProperty("case").GetString()!, c => c);
        int? Opcode(string c) => cases[c].GetProperty("opcode").ValueKind == JsonValueKind.Null ? null : cases[c].GetProperty("opcode").GetInt32();
        int? Error(string c) => cases[c].GetProperty("error").ValueKind == JsonValueKind.Null ? null : cases[c].GetProperty("error").GetInt32();
        foreach (var c in new[] { "empty datagram", "one byte", "ERROR to port 69" }) Assert.True(Opcode(c) == null, c + " should get no answer");
        foreach (var c in new[] { "opcode 0", "opcode 9", "opcode 65535", "unterminated filename", "unterminated mode", "empty filename",
                     "unknown mode", "request over 512 bytes", "DATA to port 69", "ACK to port 69", "OACK to port 69" })
            Assert.True(Opcode(c) == 5 && Error(c) == 4, c + ": " + cases[c]);
        foreach (var c in new[] { "control character in the name", "invalid UTF-8 name", "missing file" })
            Assert.True(Error(c) == 1, c + ": " + cases[c]);
        foreach (var c in new[] { "blksize too small", "blksize not a number", "option without value", "option twice" })
            Assert.True(Error(c) == 8, c + ": " + cases[c]);
        Assert.True(Error("write request") == 2, cases["write request"].ToString());
        Assert.True(Error("netascii") == 0, cases["netascii"].ToString());
        // Unknown options are ignored (no OACK: DATA 1 answers); a huge blksize gets the path's limit.
        Assert.True(Opcode("only unknown options") == 3, cases["only unknown options"].ToString());
        Assert.True(Opcode("windowsize 0") == 3, cases["windowsize 0"].ToString());
        Assert.True(Opcode("huge blksize") == 6, cases["huge blksize"].ToString());
        Assert.Equal("blksize 1460", cases["huge blksize"].GetProperty("message").GetString());
        Assert.Equal(0, report.GetProperty("random").GetProperty("non_error_answers").GetInt32());
        // The daemon is alive and serving.
        Fetch("curl after the hostile datagrams", small, file => TftpClients.Curl(fixture.Testbed, Client, TftpClients.NameOf(small), file));
        Assert.True(fixture.FrontEndStatus().GetProperty("engine").GetProperty("gauges").GetProperty("objects").GetInt32() > 0);
    }

    [Fact]
    public void Capture_DataFromTheHoldingBoardsMac_ServiceAddressAndTransferPortAsSource_ChecksumsValid()
    {
        var item = _content.TftpExact1168;
        int holder = fixture.Placement([item.Name])[item.Name][0];
        IReadOnlyList<TsharkFrame> frames;
        using (var capture = PacketCapture.Start(Client, fixture.ScratchFile("tftp.pcap"), "udp and host " + ServiceIp))
        {
            Fetch("atftp", item, file => TftpClients.Atftp(fixture.Testbed, Client, TftpClients.NameOf(item), file, ["blksize 1428", "windowsize 8"]));
            frames = capture.Decode("eth.src", "eth.dst", "ip.src", "ip.dst", "udp.srcport", "udp.dstport", "udp.length");
        }
        Assert.All(frames, f => Assert.True(f.ChecksumErrors.Count == 0, "checksum error: " + f + " " + string.Join("; ", f.ChecksumErrors)));
        var toClient = frames.Where(f => f["ip.dst"] == ClientIp).ToList();
        Assert.All(toClient, f => Assert.Equal(ServiceIp, f["ip.src"]));
        // The OACK comes from the front-end, from the transfer port it chose; the DATA from the same
        // port, sent by the first holder of the object from its own MAC (the client's ACKs go to the
        // front-end's MAC, which relays them).
        var fromFrontEnd = toClient.Where(f => f["eth.src"] == FrontEndMac).ToList();
        var fromBoard = toClient.Where(f => f["eth.src"] == BoardFirmwareMac(holder)).ToList();
        Assert.Single(fromFrontEnd);
        string transferPort = fromFrontEnd[0]["udp.srcport"]!;
        Assert.NotEqual("69", transferPort);
        Assert.Equal(toClient.Count, fromFrontEnd.Count + fromBoard.Count);
        Assert.All(fromBoard, f => Assert.Equal(transferPort, f["udp.srcport"]));
        long dataBytes = fromBoard.Sum(f => long.Parse(f["udp.length"]!) - 8 - 4);
        Assert.True(dataBytes >= item.Length, "board " + holder + " sent " + dataBytes + " DATA bytes for " + item.Length);
        Assert.Equal(8, fromBoard.Count); // 7 full blocks and the empty one, nothing resent
        Assert.All(frames.Where(f => f["ip.src"] == ClientIp), f => Assert.Equal(FrontEndMac, f["eth.dst"]));
        output.WriteLine(frames.Count + " frames; OACK from the front-end's port " + transferPort + ", " + fromBoard.Count + " DATA from board " + holder);
    }

    TftpRun Fetch(string client, ContentObject item, Func<string, TftpRun> run)
    {
        string file = fixture.ScratchFile(Path.GetFileName(item.Name));
        var result = run(file);
        try
        {
            Assert.True(result.Result.Succeeded, client + " " + item.Name + ": " + result.Result.Describe());
            ContentAssert.SameBytes(item.Source, file, client + " tftp " + TftpClients.NameOf(item));
            return result;
        }
        finally
        {
            File.Delete(file);
        }
    }
}
