using System.Text.RegularExpressions;
using Atcp.Wire.Atcp;

namespace Atcp.Wire.Tests.Atcp;

/// <summary>The hex dumps of SPEC.md section 8 (tags computed by an independent implementation)
/// are what AtcpFrameWriter produces, and AtcpFrameReader accepts them.</summary>
public class AtcpSpecVectorTests
{
    static readonly byte[] Broadcast = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff];

    static Dictionary<string, byte[]> SpecVectors()
    {
        var spec = File.ReadAllText(global::Atcp.TestSupport.RepoPaths.Under("firmware", "Atcp.Wire", "Atcp", "SPEC.md"));
        var vectors = new Dictionary<string, byte[]>();
        foreach (Match m in Regex.Matches(spec, @"<!-- vector: ([a-z-]+) -->\s*```text\n(.*?)```", RegexOptions.Singleline))
        {
            var bytes = new List<byte>();
            foreach (var line in m.Groups[2].Value.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                var tokens = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                Assert.Equal((bytes.Count).ToString("x4"), tokens[0]);
                bytes.AddRange(tokens.Skip(1).Select(t => Convert.ToByte(t, 16)));
            }
            vectors[m.Groups[1].Value] = bytes.ToArray();
        }
        return vectors;
    }

    /// <summary>The frames of section 8, sealed in the order the section gives their counters.</summary>
    static Dictionary<string, byte[]> Sealed()
    {
        var frontEnd = AtcpFrames.FrontEndWriter(epoch: 3);
        var board = AtcpFrames.BoardWriter(epoch: 5);
        var buffer = new byte[AtcpFrame.MaxFrameLength];
        byte[] Write(AtcpFrameWriter w, byte[] destination, IAtcpMessage m) =>
            buffer.Take(w.Write(buffer, 0, destination, 0, m, 0)).ToArray();
        return new Dictionary<string, byte[]>
        {
            ["command"] = Write(frontEnd, AtcpGolden.BoardMac, AtcpGolden.CommandRepr()),
            ["client-ack"] = Write(frontEnd, AtcpGolden.BoardMac, AtcpGolden.ClientAckRepr()),
            ["hello-request"] = Write(frontEnd, Broadcast, AtcpGolden.HelloRequestRepr()),
            ["service-ack"] = Write(board, AtcpGolden.FrontEndMac, AtcpGolden.ServiceAckRepr()),
            ["done"] = Write(board, AtcpGolden.FrontEndMac, AtcpGolden.DoneRepr()),
        };
    }

    [Fact]
    public void Spec_HasEveryVector()
    {
        Assert.Equal(Sealed().Keys.Order(), SpecVectors().Keys.Order());
    }

    [Theory]
    [InlineData("command")]
    [InlineData("client-ack")]
    [InlineData("hello-request")]
    [InlineData("service-ack")]
    [InlineData("done")]
    public void Writer_SealsExactlyTheSpecVector(string name)
    {
        var expected = SpecVectors()[name];
        var actual = Sealed()[name];
        Assert.Equal(AtcpHex.Format(expected, 0, expected.Length), AtcpHex.Format(actual, 0, actual.Length));
    }

    [Theory]
    [InlineData("command", "COMMAND")]
    [InlineData("client-ack", "CLIENT_ACK")]
    [InlineData("hello-request", "HELLO_REQUEST")]
    [InlineData("service-ack", "SERVICE_ACK")]
    [InlineData("done", "DONE")]
    public void Reader_AcceptsTheSpecVectorAndFindsTheGoldenBody(string name, string message)
    {
        var frame = SpecVectors()[name];
        var reader = AtcpFrames.ReceiverOf(AtcpGolden.Filled(message));
        Assert.Equal(ParseStatus.Ok, reader.Read(frame, 0, frame.Length));
        Assert.Equal(AtcpGolden.Body(message), frame.Skip(reader.BodyOffset).Take(reader.BodyLength).ToArray());
        var repr = AtcpGolden.Empty(message);
        Assert.Equal(ParseStatus.Ok, repr.Parse(frame, reader.BodyOffset, reader.BodyLength));
    }
}
