using System.Text.Json;
using System.Text.Json.Nodes;
using Atcp.Bench;
using Atcp.Firmware.Board;
using Atcp.Wire.Atcp;

// atcp-bench: the board firmware's own costs on the emulated chips, for tools/bench (section 5).
//   atcp-bench [--megabytes N] [--ack-every-segments K] [--sd-gap BYTES] [--json FILE]
//   atcp-bench --frontend-acks [--connections N] [--acks N] [--runs N]: the front-end's cost per client ACK and loop round
if (args.Contains("--frontend-acks")) return FrontendAckBench.Run(args);
int megabytes = 10, ackEvery = 4, sdGap = 1;
string? jsonPath = null;
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--megabytes" when i + 1 < args.Length: megabytes = int.Parse(args[++i]); break;
        case "--ack-every-segments" when i + 1 < args.Length: ackEvery = int.Parse(args[++i]); break;
        case "--sd-gap" when i + 1 < args.Length: sdGap = int.Parse(args[++i]); break;
        case "--json" when i + 1 < args.Length: jsonPath = args[++i]; break;
        case "-h" or "--help":
            Console.WriteLine("atcp-bench [--megabytes N] [--ack-every-segments K] [--sd-gap BYTES] [--json FILE]: SPI bytes and transactions\n"
                + "and managed allocations of the board firmware streaming an N MB disk object and CD file on the emulated chips.\n"
                + "--sd-gap: idle bytes the emulated cards send between blocks of a multiple block read (default 1).");
            return 0;
        default:
            Console.Error.WriteLine("atcp-bench: unknown or incomplete option " + args[i] + " (try --help)");
            return 2;
    }
}
if (megabytes < 1 || megabytes > 500 || ackEvery < 1 || sdGap < 0 || sdGap > 8192)
{
    Console.Error.WriteLine("atcp-bench: --megabytes must be 1..500, --ack-every-segments at least 1, --sd-gap 0..8192");
    return 2;
}

const double WarmupFraction = 0.2;
int size = megabytes * 1_000_000;
string prefix = "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: " + size + "\r\n\r\n";
byte[] data = BenchImages.Payload(10, size);
var limit = TimeSpan.FromMinutes(5);
using var images = new BenchImages();
string disk = images.Disk("bench/object.bin", data);
string cd = images.Iso("films/object.bin", data);
using var sampler = new AllocationSampler();

var results = new JsonObject
{
    ["megabytes"] = megabytes,
    ["mss"] = 1460,
    ["ack_every_segments"] = ackEvery,
    ["warmup_fraction"] = WarmupFraction,
    ["sd_block_gap_bytes"] = sdGap,
    // The least either bus can clock per payload byte at MSS 1460 (tools/bench.d/README.md): the W5500
    // gets each frame (3-byte SPI header + 54 header bytes + 1460), Sn_TX_WR (3 + 2) and Sn_CR with
    // Sn_IR (3 + 2); the card clocks gap + token + 512 + CRC16 per 512 payload bytes.
    ["floor_w5500_spi_bytes_per_payload_byte"] = Math.Round((3 + 54 + 1460 + 5 + 5) / 1460.0, 4),
    ["floor_sd_spi_bytes_per_payload_byte"] = Math.Round((sdGap + 515) / 512.0, 4),
    ["floor_spi_bytes_per_payload_byte"] = Math.Round((3 + 54 + 1460 + 5 + 5) / 1460.0 + (sdGap + 515) / 512.0, 4),
    ["build"] = (typeof(FirmwareRun).Assembly.GetCustomAttributes(typeof(System.Diagnostics.DebuggableAttribute), false)
        .OfType<System.Diagnostics.DebuggableAttribute>().Any(a => a.IsJITOptimizerDisabled) ? "Debug" : "Release") + " build, .NET " + Environment.Version,
};
var notes = new JsonArray();

foreach (var (key, opcode, volume, name) in new[]
{
    ("disk", AtcpServiceOpcode.SendDiskObject, BoardRuntime.DiskVolumeId, "bench/object.bin"),
    ("cd", AtcpServiceOpcode.SendCdFile, BoardRuntime.CdVolumeId, "films/object.bin"),
})
{
    using var run = new FirmwareRun(disk, cd, sdGap);
    // One short stream first: JIT compilation and first-use allocations are not the board's steady state.
    StreamCost first = run.Stream(key + " warm-up", opcode, volume, name, prefix, size, ackEvery, 0.0, limit);
    sampler.Clear();
    sampler.Recording = true;
    StreamCost c = run.Stream(key, opcode, volume, name, prefix, size, ackEvery, WarmupFraction, limit);
    sampler.Recording = false;
    var samples = new JsonObject();
    foreach (var (type, count) in sampler.Samples.Take(10)) samples[type] = count;
    results[key] = new JsonObject
    {
        ["payload_bytes"] = c.PayloadBytes,
        ["segments"] = c.Segments,
        ["retransmitted_segments"] = c.Retransmitted,
        ["client_acks_sent"] = c.ClientAcksSent,
        ["seconds"] = Math.Round(c.Seconds, 3),
        ["emulated_mb_per_s"] = Math.Round(c.PayloadBytes / c.Seconds / 1e6, 3),
        ["w5500_spi_bytes"] = c.W5500SpiBytes,
        ["w5500_spi_transactions"] = c.W5500SpiTransactions,
        ["sd_spi_bytes"] = c.SdSpiBytes,
        ["sd_spi_transactions"] = c.SdSpiTransactions,
        ["w5500_spi_bytes_per_payload_byte"] = Math.Round((double)c.W5500SpiBytes / c.PayloadBytes, 4),
        ["sd_spi_bytes_per_payload_byte"] = Math.Round((double)c.SdSpiBytes / c.PayloadBytes, 4),
        ["spi_bytes_per_payload_byte"] = Math.Round(c.SpiBytesPerPayloadByte, 4),
        ["w5500_spi_transactions_per_segment"] = Math.Round((double)c.W5500SpiTransactions / c.Segments, 3),
        ["sd_spi_transactions_per_segment"] = Math.Round((double)c.SdSpiTransactions / c.Segments, 3),
        ["spi_transactions_per_segment"] = Math.Round(c.SpiTransactionsPerSegment, 3),
        ["steady_segments"] = c.SteadySegments,
        ["steady_steps"] = c.SteadySteps,
        ["steady_allocated_bytes"] = c.SteadyAllocatedBytes,
        ["allocated_bytes_per_segment"] = Math.Round(c.AllocatedBytesPerSegment, 2),
        ["allocation_samples_by_type"] = samples,
        // The same counter over the whole first stream (JIT, first use): shows it does count.
        ["first_stream_allocated_bytes"] = first.SteadyAllocatedBytes,
    };
    Console.WriteLine($"{key,-4}: {c.PayloadBytes / 1e6:F1} MB in {c.Segments} segments ({c.Retransmitted} repeated), {c.PayloadBytes / c.Seconds / 1e6:F2} MB/s emulated; "
        + $"SPI {c.SpiBytesPerPayloadByte:F3} B/B (W5500 {(double)c.W5500SpiBytes / c.PayloadBytes:F3} + SD {(double)c.SdSpiBytes / c.PayloadBytes:F3}), "
        + $"{c.SpiTransactionsPerSegment:F2} transactions/segment (W5500 {(double)c.W5500SpiTransactions / c.Segments:F2} + SD {(double)c.SdSpiTransactions / c.Segments:F2}); "
        + $"{c.AllocatedBytesPerSegment:F1} B allocated/segment in steady state ({c.SteadyAllocatedBytes} B over {c.SteadySegments} segments)");
    if (c.SteadyAllocatedBytes > 0 && samples.Count > 0)
        notes.Add(key + ": allocation samples by type (GCAllocationTick, ~1 per 100 KB): "
            + string.Join(", ", samples.Select(kv => kv.Key + " x" + kv.Value)));
}
results["notes"] = notes;
string json = results.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
if (jsonPath != null) File.WriteAllText(jsonPath, json + "\n");
else Console.WriteLine(json);
return 0;
