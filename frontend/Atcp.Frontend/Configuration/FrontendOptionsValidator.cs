using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Atcp.Frontend.Configuration;

/// <summary>The outcome of validation: settings when there is no error, and every problem found
/// (not only the first), so one run tells the operator everything to fix.</summary>
public sealed record ValidationResult(FrontendSettings? Settings, IReadOnlyList<string> Errors, IReadOnlyList<string> Warnings)
{
    /// <summary>True when the settings can be used.</summary>
    public bool IsValid => Errors.Count == 0 && Settings != null;
}

/// <summary>Checks <see cref="FrontendOptions"/> and turns them into <see cref="FrontendSettings"/>.
/// Messages name the setting as a flag (--service-ip) and say what to do.</summary>
public static class FrontendOptionsValidator
{
    /// <summary>Longest RX batching pause: 20 ms, the order of the ACK relay delay; more would
    /// hold up requests noticeably.</summary>
    public const int MaxRxBatchMicroseconds = 20_000;
    /// <summary>Upper bound of --rx-batch-max-us: the pause only grows while every reply tolerates it,
    /// and timers falling due meanwhile run up to this late (against the 500 ms ACK delay bound).</summary>
    public const int MaxRxBatchMaxMicroseconds = 100_000;

    /// <summary>Validates options against the kernel's interfaces. A relative cluster key path is
    /// looked up in systemd's credentials directory (LoadCredential=), by default
    /// $CREDENTIALS_DIRECTORY.</summary>
    public static ValidationResult Validate(FrontendOptions options, IKernelAddresses kernel, string? credentialsDirectory = null)
    {
        credentialsDirectory ??= Environment.GetEnvironmentVariable("CREDENTIALS_DIRECTORY");
        var errors = new List<string>();
        var warnings = new List<string>();

        string? iface = string.IsNullOrWhiteSpace(options.Interface) ? null : options.Interface.Trim();
        if (iface == null) errors.Add("--interface is required: the network interface the service IP lives on (e.g. eth0)");

        IPAddress? serviceIp = ParseIPv4(options.ServiceIp, "--service-ip", required: true, errors);
        int prefix = ParsePrefix(options.Netmask, errors);
        IPAddress? gateway = ParseIPv4(options.Gateway, "--gateway", required: false, errors);
        if (options.ServicePort is < 1 or > 65535)
            errors.Add("--service-port " + options.ServicePort + " is not a TCP port (1..65535)");

        if (serviceIp != null)
        {
            uint ip = ToUInt(serviceIp);
            if (IPAddress.IsLoopback(serviceIp) || ip == 0 || ip >= 0xE000_0000)
                errors.Add("--service-ip " + serviceIp + " is not a unicast host address");
            else if (prefix is > 0 and < 31)
            {
                uint mask = uint.MaxValue << (32 - prefix);
                if ((ip & ~mask) == 0 || (ip & ~mask) == ~mask)
                    errors.Add("--service-ip " + serviceIp + " is the network or broadcast address of /" + prefix);
            }
            if (gateway != null && prefix > 0)
            {
                uint mask = prefix == 32 ? uint.MaxValue : uint.MaxValue << (32 - prefix);
                if ((ToUInt(gateway) & mask) != (ip & mask))
                    errors.Add("--gateway " + gateway + " is not on the service network " + Network(ip, prefix) + "/" + prefix);
                if (gateway.Equals(serviceIp)) errors.Add("--gateway must not be the service IP itself");
            }
        }

        uint clusterId = ParseClusterId(options.ClusterId, errors);
        byte[]? key = null;
        string keyPath = options.ClusterKeyFile;
        if (string.IsNullOrWhiteSpace(options.ClusterKeyFile))
            errors.Add("--cluster-key-file is required: the file with the 128-bit cluster key");
        else
        {
            keyPath = !Path.IsPathRooted(options.ClusterKeyFile) && !string.IsNullOrEmpty(credentialsDirectory)
                ? Path.Combine(credentialsDirectory, options.ClusterKeyFile)
                : options.ClusterKeyFile;
            key = ClusterKeyFile.TryRead(keyPath, out string? keyError);
            if (keyError != null) errors.Add(keyError);
            else if (ClusterKeyFile.IsReadableByOthers(keyPath))
                warnings.Add("cluster key file " + keyPath + " is readable by group or others: chmod 600 it");
        }

        IPEndPoint? management = ParseEndPoint(options.ManagementListen, errors);
        if (options.AckEvery is < 1 or > 64)
            errors.Add("--ack-every " + options.AckEvery + " must be 1..64 (1 relays every client ACK)");
        // RFC 1122 4.2.3.2: an ACK must not be delayed by 0.5 s or more.
        if (options.AckDelayMs is < 1 or > 499)
            errors.Add("--ack-delay-ms " + options.AckDelayMs + " must be 1..499 (RFC 1122 4.2.3.2: ACK delay under 0.5 s)");
        if (options.RxRingBytes is < 64 * 1024 or > 1 << 30)
            errors.Add("RxRingBytes " + options.RxRingBytes + " must be 64 KiB..1 GiB");
        if (options.TxBatchSize is < 1 or > 1024)
            errors.Add("TxBatchSize " + options.TxBatchSize + " must be 1..1024");
        if (options.RxBatchMicroseconds is < 0 or > MaxRxBatchMicroseconds)
            errors.Add("--rx-batch-us " + options.RxBatchMicroseconds + " must be 0.." + MaxRxBatchMicroseconds + " (0 handles every frame at once)");
        if (options.RxBatchMaxMicroseconds is < 0 or > MaxRxBatchMaxMicroseconds)
            errors.Add("--rx-batch-max-us " + options.RxBatchMaxMicroseconds + " must be 0.." + MaxRxBatchMaxMicroseconds +
                " (at or below --rx-batch-us: a fixed pause)");
        if (string.IsNullOrWhiteSpace(options.StateDirectory))
            errors.Add("StateDirectory must name a directory (e.g. /var/lib/atcp)");

        CheckKernel(iface, serviceIp, management, kernel, errors);

        if (errors.Count > 0) return new ValidationResult(null, errors, warnings);
        return new ValidationResult(new FrontendSettings
        {
            Interface = iface!,
            ServiceIp = serviceIp!,
            ServicePort = options.ServicePort,
            Gateway = gateway,
            PrefixLength = prefix,
            ClusterId = clusterId,
            ClusterKeyFile = keyPath,
            ClusterKey = key!,
            ManagementListen = management!,
            AckEvery = options.AckEvery,
            AckDelayMs = options.AckDelayMs,
            StateDirectory = options.StateDirectory,
            RxBatchMicroseconds = options.RxBatchMicroseconds,
            RxBatchMaxMicroseconds = options.RxBatchMaxMicroseconds,
            RxRingBytes = options.RxRingBytes,
            TxBatchSize = options.TxBatchSize,
            QdiscBypass = options.QdiscBypass,
            Promiscuous = options.Promiscuous,
            NetworkNamespace = string.IsNullOrWhiteSpace(options.NetworkNamespace) ? null : options.NetworkNamespace,
        }, errors, warnings);
    }

    static void CheckKernel(string? iface, IPAddress? serviceIp, IPEndPoint? management, IKernelAddresses kernel, List<string> errors)
    {
        if (iface != null || serviceIp != null)
        {
            var interfaces = kernel.ServiceNamespace();
            if (iface != null && !interfaces.Any(i => i.Name == iface))
                errors.Add("--interface " + iface + ": no such network interface (the kernel has: " +
                    string.Join(", ", interfaces.Select(i => i.Name).Order(StringComparer.Ordinal)) + ")");
            if (serviceIp != null)
                foreach (var owner in interfaces.Where(i => i.Addresses.Contains(serviceIp)))
                    errors.Add("service IP " + serviceIp + " is also assigned to " + owner.Name +
                        " by the kernel: the appliance must own it alone (remove it: ip address del " + serviceIp + "/N dev " + owner.Name + ")");
        }
        if (management == null) return;
        if (serviceIp != null && management.Address.Equals(serviceIp))
        {
            errors.Add("--mgmt-listen " + management + " uses the service IP: management runs on the kernel stack, " +
                "which never holds the service IP; use another address of the appliance");
            return;
        }
        if (management.Address.Equals(IPAddress.Any) || IPAddress.IsLoopback(management.Address)) return;
        if (!kernel.ManagementNamespace().Any(i => i.Addresses.Contains(management.Address)))
            errors.Add("--mgmt-listen " + management + ": no kernel interface has the address " + management.Address +
                " ('ip -br address' lists them; 127.0.0.1 or 0.0.0.0 always work)");
    }

    static IPAddress? ParseIPv4(string? text, string flag, bool required, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            if (required) errors.Add(flag + " is required: an IPv4 address such as 198.18.0.10");
            return null;
        }
        if (IPAddress.TryParse(text.Trim(), out var address) && address.AddressFamily == AddressFamily.InterNetwork
            && text.Trim().Count(c => c == '.') == 3)
            return address;
        errors.Add(flag + " '" + text + "' is not an IPv4 address (dotted quad, e.g. 198.18.0.10)");
        return null;
    }

    static int ParsePrefix(string? text, List<string> errors)
    {
        string t = (text ?? "").Trim().TrimStart('/');
        if (int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out int bits) && bits is >= 1 and <= 32)
            return bits;
        if (IPAddress.TryParse(t, out var mask) && mask.AddressFamily == AddressFamily.InterNetwork)
        {
            uint m = ToUInt(mask);
            int ones = System.Numerics.BitOperations.PopCount(m);
            if (ones > 0 && m == uint.MaxValue << (32 - ones)) return ones;
        }
        errors.Add("--netmask '" + text + "' is not a netmask (255.255.255.0, /24 or 24; contiguous, 1..32 bits)");
        return 24;
    }

    static uint ParseClusterId(string? text, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            errors.Add("--cluster-id is required: the ATCP cluster id shared with the boards (e.g. 0xA7C90001)");
            return 0;
        }
        string t = text.Trim();
        bool ok = t.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? uint.TryParse(t.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out uint id)
            : uint.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out id);
        if (!ok || id == 0)
        {
            errors.Add("--cluster-id '" + text + "' must be a non-zero 32-bit number (decimal or 0x hex)");
            return 0;
        }
        return id;
    }

    static IPEndPoint? ParseEndPoint(string? text, List<string> errors)
    {
        if (!string.IsNullOrWhiteSpace(text) && IPEndPoint.TryParse(text.Trim(), out var endPoint)
            && text.Contains(':') && endPoint.Port is >= 0 and <= 65535)
            return endPoint;
        errors.Add("--mgmt-listen '" + text + "' must be address:port on the kernel stack (e.g. 127.0.0.1:9100)");
        return null;
    }

    static uint ToUInt(IPAddress address) => System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(address.GetAddressBytes());

    static string Network(uint ip, int prefix)
    {
        var bytes = new byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(bytes, ip & (uint.MaxValue << (32 - prefix)));
        return new IPAddress(bytes).ToString();
    }
}
