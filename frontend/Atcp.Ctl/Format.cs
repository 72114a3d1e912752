using System.Globalization;
using System.Text;
using Atcp.Frontend.Management;

namespace Atcp.Ctl;

/// <summary>Human-readable renderings of the management documents.</summary>
public static class Format
{
    /// <summary>atcpctl status.</summary>
    public static string Status(StatusResponse s)
    {
        var d = s.Daemon;
        var v = s.Device;
        var b = new StringBuilder();
        b.Append("atcp-frontend ").Append(d.Version).Append(", up ").Append(Duration(d.UptimeSeconds)).Append('\n');
        var t = new TextTable("", "");
        t.Add("interface", d.Interface + " " + d.MacAddress + " MTU " + d.Mtu.ToString(CultureInfo.InvariantCulture));
        t.Add("service", d.ServiceIp + ":" + d.ServicePort.ToString(CultureInfo.InvariantCulture));
        t.Add("cluster", d.ClusterId);
        t.Add("management", d.ManagementListen);
        t.Add("engine", s.Engine == null ? "not answering" : s.Engine.State);
        if (s.Engine != null)
        {
            t.Add("boards", s.Engine.BoardsUp.ToString(CultureInfo.InvariantCulture) + " up of " + s.Engine.BoardsTotal.ToString(CultureInfo.InvariantCulture));
            t.Add("connections", s.Engine.Connections.ToString(CultureInfo.InvariantCulture));
        }
        t.Add("frames in", CtlApp.N(v.FramesReceived) + " (" + Bytes(v.BytesReceived) + ")");
        t.Add("frames out", CtlApp.N(v.FramesSent) + " (" + Bytes(v.BytesSent) + ")");
        t.Add("drops", "ring full " + CtlApp.N(v.KernelDrops) + ", oversize " + CtlApp.N(v.OversizeDrops) +
            ", tx busy " + CtlApp.N(v.TransmitBusy) + ", tx errors " + CtlApp.N(v.TransmitErrors) + ", output " + CtlApp.N(d.OutputDrops));
        t.Add("loop", CtlApp.N(d.LoopIterations) + " rounds, " + CtlApp.N(d.TimerRuns) + " timer runs, " + CtlApp.N(v.Syscalls) + " syscalls");
        b.Append(SkipHeader(t));
        if (s.Engine is { } e && (e.Counters.Count > 0 || e.Gauges.Count > 0))
        {
            b.Append('\n');
            var c = new TextTable("ENGINE", "VALUE").AlignRight(1);
            foreach (var (name, value) in e.Counters.OrderBy(p => p.Key, StringComparer.Ordinal)) c.Add(name, CtlApp.N(value));
            foreach (var (name, value) in e.Gauges.OrderBy(p => p.Key, StringComparer.Ordinal))
                c.Add(name, value.ToString("0.###", CultureInfo.InvariantCulture));
            b.Append(c);
        }
        return b.ToString();
    }

    /// <summary>atcpctl boards.</summary>
    public static string Boards(BoardStatus[] boards)
    {
        if (boards.Length == 0) return "no boards known yet (none has sent a HELLO)";
        var t = new TextTable("ID", "MAC", "HEALTH", "DRAINING", "STREAMS", "VOLUMES", "OBJECTS", "LAST HEARD", "FIRMWARE").AlignRight(0, 4, 5, 6, 7);
        foreach (var x in boards.OrderBy(x => x.Id))
            t.Add(x.Id.ToString(CultureInfo.InvariantCulture), x.MacAddress, x.Health, x.Draining ? "yes" : "no",
                x.ActiveStreams.ToString(CultureInfo.InvariantCulture) + "/" + x.MaxStreams.ToString(CultureInfo.InvariantCulture),
                x.Volumes.ToString(CultureInfo.InvariantCulture), CtlApp.N(x.Objects), Ago(x.LastHeardMsAgo), x.FirmwareVersion);
        return t.ToString();
    }

    /// <summary>atcpctl connections.</summary>
    public static string Connections(ConnectionStatus[] connections)
    {
        if (connections.Length == 0) return "no client connections";
        var t = new TextTable("CLIENT", "STATE", "AGE", "IN", "OUT", "REPLIES", "BOARD").AlignRight(2, 3, 4, 5);
        foreach (var c in connections)
            t.Add(c.Client, c.State, Ago(c.AgeMs), Bytes(c.BytesReceived), Bytes(c.BytesSent),
                c.RepliesInProgress.ToString(CultureInfo.InvariantCulture), c.Board?.ToString(CultureInfo.InvariantCulture) ?? "-");
        return t.ToString() + connections.Length.ToString(CultureInfo.InvariantCulture) + " connection" + (connections.Length == 1 ? "" : "s") + "\n";
    }

    static string SkipHeader(TextTable t)
    {
        string text = t.ToString();
        return text[(text.IndexOf('\n') + 1)..];
    }

    /// <summary>1.5 KiB, 3.2 MiB ...</summary>
    public static string Bytes(long bytes)
    {
        if (bytes < 1024) return bytes.ToString(CultureInfo.InvariantCulture) + " B";
        string[] units = ["KiB", "MiB", "GiB", "TiB"];
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }
        return value.ToString("0.0", CultureInfo.InvariantCulture) + " " + units[unit];
    }

    /// <summary>Milliseconds as "350 ms", "12 s", "3m 04s", "2h 05m".</summary>
    public static string Ago(long ms)
    {
        if (ms < 1000) return ms.ToString(CultureInfo.InvariantCulture) + " ms";
        return Duration(ms / 1000);
    }

    /// <summary>Seconds as "12 s", "3m 04s", "2h 05m", "3d 04h".</summary>
    public static string Duration(long seconds)
    {
        var ts = TimeSpan.FromSeconds(seconds);
        if (seconds < 60) return seconds.ToString(CultureInfo.InvariantCulture) + " s";
        if (seconds < 3600) return ts.Minutes.ToString(CultureInfo.InvariantCulture) + "m " + ts.Seconds.ToString("00", CultureInfo.InvariantCulture) + "s";
        if (seconds < 86400) return ((int)ts.TotalHours).ToString(CultureInfo.InvariantCulture) + "h " + ts.Minutes.ToString("00", CultureInfo.InvariantCulture) + "m";
        return ((int)ts.TotalDays).ToString(CultureInfo.InvariantCulture) + "d " + ts.Hours.ToString("00", CultureInfo.InvariantCulture) + "h";
    }
}
