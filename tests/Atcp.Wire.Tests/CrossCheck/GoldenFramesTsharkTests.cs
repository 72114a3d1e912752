using Atcp.TestSupport;
using Atcp.Wire.Tests.Golden;

namespace Atcp.Wire.Tests.CrossCheck;

/// <summary>The golden frames every header test relies on are themselves checked by tshark, so a
/// typo in a hand-assembled byte cannot hide behind a matching bug in our code.</summary>
public class GoldenFramesTsharkTests
{
    [Fact]
    public void GoldenFrames_DecodeWithoutChecksumErrorsOrMalformation()
    {
        var names = GoldenFrames.All().Select(o => (string)o[0]).ToList();
        var decoded = Tshark.DecodeFrames(GoldenFrames.All().Select(o => (byte[])o[1]),
            "frame.protocols", "ip.checksum.status", "tcp.checksum.status", "udp.checksum.status", "icmp.checksum.status");
        Assert.Equal(names.Count, decoded.Count);
        for (int i = 0; i < names.Count; i++)
        {
            var f = decoded[i];
            Assert.True(f.ChecksumErrors.Count == 0, names[i] + ": " + string.Join("; ", f.ChecksumErrors));
            Assert.DoesNotContain(f.Expert, e => e.Severity >= 0x00800000); // PI_ERROR
            foreach (var field in f.Fields.Where(kv => kv.Key.EndsWith(".checksum.status")))
                Assert.True(field.Value.All(v => v == "1"), names[i] + " " + field.Key + "=" + string.Join(",", field.Value));
        }
        Assert.Equal("eth:ethertype:arp", decoded[names.IndexOf("ArpRequest")]["frame.protocols"]);
        Assert.Equal("eth:ethertype:ip:tcp", decoded[names.IndexOf("TcpSyn")]["frame.protocols"]);
        Assert.Equal("eth:ethertype:ip:icmp:ip:tcp", decoded[names.IndexOf("IcmpFragmentationNeeded")]["frame.protocols"]);
    }
}
