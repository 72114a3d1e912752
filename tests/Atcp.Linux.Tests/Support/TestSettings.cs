using System.Net;
using Atcp.Frontend.Configuration;

namespace Atcp.Linux.Tests.Support;

public static class TestSettings
{
    public static readonly byte[] Key = Enumerable.Range(0, 16).Select(i => (byte)i).ToArray();

    public static FrontendSettings Make(string iface = "veth-a", string? ns = null) => new()
    {
        Interface = iface,
        ServiceIp = IPAddress.Parse("198.18.0.10"),
        ServicePort = 80,
        PrefixLength = 24,
        ClusterId = 0xA7C90001,
        ClusterKeyFile = "/dev/null",
        ClusterKey = Key,
        ManagementListen = new IPEndPoint(IPAddress.Loopback, 0),
        AckEvery = 2,
        AckDelayMs = 20,
        StateDirectory = "/tmp",
        RxRingBytes = 1 << 20,
        NetworkNamespace = ns,
    };
}

/// <summary>A temporary directory deleted on Dispose.</summary>
public sealed class TempDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("atcp-test-").FullName;

    public string File(string name, string content)
    {
        string path = System.IO.Path.Combine(Path, name);
        System.IO.File.WriteAllText(path, content);
        if (OperatingSystem.IsLinux()) System.IO.File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return path;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
