// These tests drive Linux itself (packet sockets, namespaces, file modes).
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
