namespace Atcp.Bench;

/// <summary>atcp-bench --frontend-acks: runs <see cref="FrontendAckRun"/> a few times for one and
/// several connections and prints ns per client ACK, ns per idle loop round and bytes allocated.</summary>
public static class FrontendAckBench
{
    /// <summary>Parses the options, runs, prints; returns the exit code.</summary>
    public static int Run(string[] args)
    {
        var connectionCounts = new List<int>();
        int acks = 200_000, runs = 5, acksPerMs = 2, rounds = 200_000, coldAcks = 2000, evictBytes = 4 << 20, batch = 8;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--frontend-acks": break;
                case "--connections" when i + 1 < args.Length: connectionCounts.Add(int.Parse(args[++i])); break;
                case "--acks" when i + 1 < args.Length: acks = int.Parse(args[++i]); break;
                case "--runs" when i + 1 < args.Length: runs = int.Parse(args[++i]); break;
                case "--acks-per-ms" when i + 1 < args.Length: acksPerMs = int.Parse(args[++i]); break;
                case "--rounds" when i + 1 < args.Length: rounds = int.Parse(args[++i]); break;
                case "--cold-acks" when i + 1 < args.Length: coldAcks = int.Parse(args[++i]); break;
                case "--evict-bytes" when i + 1 < args.Length: evictBytes = int.Parse(args[++i]); break;
                case "--batch" when i + 1 < args.Length: batch = int.Parse(args[++i]); break;
                case "-h" or "--help":
                    Console.WriteLine("atcp-bench --frontend-acks [--connections N]... [--acks N] [--runs N] [--acks-per-ms N] [--rounds N] [--cold-acks N] [--evict-bytes N] [--batch N]:\n"
                        + "ns per pure client ACK through FrontendEngine.OnFrame (delegated reply in progress on every connection),\n"
                        + "ns per idle loop round (NextDeadline + Poll, nothing due), and managed bytes allocated per each;\n"
                        + "ns per ACK in loop rounds of --batch ACKs (default 8) each followed by NextDeadline and Poll when due;\n"
                        + "then --cold-acks ACKs (default 2000) one at a time, --evict-bytes (default 4 MiB) written between two.");
                    return 0;
                default:
                    Console.Error.WriteLine("atcp-bench: unknown or incomplete option " + args[i] + " (try --help)");
                    return 2;
            }
        }
        if (connectionCounts.Count == 0) connectionCounts.AddRange([1, 16, 256]);
        if (acks < 1000 || runs < 1 || acksPerMs < 1 || rounds < 1 || coldAcks < 0 || evictBytes < 0 || batch < 1 || connectionCounts.Any(n => n < 1 || n > 4000))
        {
            Console.Error.WriteLine("atcp-bench: --acks at least 1000, --runs, --acks-per-ms and --rounds at least 1, --connections 1..4000");
            return 2;
        }
        foreach (int n in connectionCounts)
        {
            // A first run warms the JIT (tiering) and first-use allocations up; it is not reported.
            new FrontendAckRun(n).Measure(Math.Min(acks, 50_000), acksPerMs, Math.Min(rounds, 50_000));
            var results = new List<FrontendAckCost>();
            for (int r = 0; r < runs; r++) results.Add(new FrontendAckRun(n).Measure(acks, acksPerMs, rounds, coldAcks, evictBytes, batch));
            foreach (var c in results)
                Console.WriteLine($"connections {c.Connections,4}: {c.NsPerAck,7:F1} ns/ACK ({c.BytesPerAck:F2} B/ACK, {c.Relays} relays of {c.Acks}), "
                    + $"{c.NsPerRound,7:F1} ns/round ({c.BytesPerRound:F2} B/round; of which stack deadline {c.NsStackDeadline:F1} ns, dispatcher deadline {c.NsDispatcherDeadline:F1} ns), "
                    + $"{c.NsPerAckInRounds:F1} ns/ACK in rounds of {c.Batch}, {c.NsPerColdAck:F0} ns/cold ACK");
            var ack = results.Select(c => c.NsPerAck).Order().ToList();
            var round = results.Select(c => c.NsPerRound).Order().ToList();
            var cold = results.Select(c => c.NsPerColdAck).Order().ToList();
            var mixed = results.Select(c => c.NsPerAckInRounds).Order().ToList();
            Console.WriteLine($"connections {n,4}: median {ack[ack.Count / 2]:F1} ns/ACK, {round[round.Count / 2]:F1} ns/round, "
                + $"{mixed[mixed.Count / 2]:F1} ns/ACK in rounds, {cold[cold.Count / 2]:F0} ns/cold ACK "
                + $"(best {ack[0]:F1}, {round[0]:F1}, {mixed[0]:F1}, {cold[0]:F0})");
        }
        return 0;
    }
}
