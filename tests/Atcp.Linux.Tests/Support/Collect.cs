using System.Diagnostics;
using Atcp.Linux;

namespace Atcp.Linux.Tests.Support;

public static class Collect
{
    /// <summary>Receives test frames (EtherType 0x88B6) until count arrived or timeoutMs passed.</summary>
    public static List<byte[]> TestFrames(PacketSocket socket, int count, int timeoutMs = 5000) =>
        Frames(socket, count, timeoutMs, f => Support.Frames.IsTest(f));

    /// <summary>Receives frames passing filter until count arrived or timeoutMs passed.</summary>
    public static List<byte[]> Frames(PacketSocket socket, int count, int timeoutMs, Func<byte[], bool> filter)
    {
        var result = new List<byte[]>();
        var buffer = new byte[4096];
        var clock = Stopwatch.StartNew();
        while (result.Count < count)
        {
            int left = timeoutMs - (int)clock.ElapsedMilliseconds;
            if (left <= 0) break;
            if (!socket.WaitForReceive(Math.Min(left, 100))) continue;
            int n;
            while (result.Count < count && (n = socket.Receive(buffer, 0, buffer.Length)) > 0)
            {
                var frame = buffer.AsSpan(0, n).ToArray();
                if (filter(frame)) result.Add(frame);
            }
        }
        return result;
    }
}
