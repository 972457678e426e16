using Chat.LoadTest.Metrics;
using Chat.LoadTest.Scenarios;

namespace Chat.LoadTest.Reports;

/// <summary>
/// One summary from the generators' own: counts add up (each generator owns whole rooms, so loss is already
/// counted where both sides of a room were), latency percentiles come from the merged histograms, per-replica
/// connections add up, and timelines add up sample by sample (generators share their start and interval).
/// </summary>
public static class SummaryMerger
{
    public static RunSummary Merge(IReadOnlyList<RunSummary> parts)
    {
        if (parts.Count == 0)
        {
            throw new ArgumentException("no summaries to merge");
        }

        if (parts.Any(p => p.Histograms is null))
        {
            throw new ArgumentException("a summary has no histograms; it was written by an older version of the tool");
        }

        var first = parts[0];
        var messages = parts.Select(p => p.Messages).ToArray();
        var connections = parts.Select(p => p.Connections).ToArray();
        var connectTime = HistogramPairs.Merge(parts.Select(p => p.Histograms!.ConnectMicroseconds));
        var latency = HistogramPairs.Merge(parts.Select(p => p.Histograms!.DeliveryMicroseconds));
        var replicas = parts.SelectMany(p => p.Replicas).GroupBy(r => r.Id, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new ReplicaSummary(g.Key, g.Sum(r => r.Final), g.Sum(r => r.Peak), Math.Round(g.Sum(r => r.MeanWhileHolding), 1),
                g.Any(r => r.Running), g.Max(r => r.PeakMemoryMb)))
            .ToList();
        var final = connections.Sum(c => c.Final);

        return new RunSummary(
            first.Scenario,
            first.Target,
            parts.Min(p => p.StartedAt),
            parts.Max(p => p.DurationSeconds),
            parts.Any(p => p.Cancelled),
            first.Settings with
            {
                SignalRClients = parts.Sum(p => p.Settings.SignalRClients),
                StompClients = parts.Sum(p => p.Settings.StompClients),
            },
            new ConnectionSummary(
                connections.Sum(c => c.Target),
                connections.Sum(c => c.Peak),
                final,
                connections.Sum(c => c.Connects),
                connections.Sum(c => c.Failures),
                connections.Sum(c => c.Reconnects),
                connections.Sum(c => c.RebalanceCloses),
                connections.Sum(c => c.Drops),
                SummaryBuilder.Ms(connectTime, 50),
                SummaryBuilder.Ms(connectTime, 99)),
            replicas,
            SummaryBuilder.BalanceOf([.. replicas.Where(r => r.Running).Select(r => r.Final)]),
            new MessageSummary(
                messages.Sum(m => m.Published),
                messages.Sum(m => m.Confirmed),
                messages.Sum(m => m.Unconfirmed),
                messages.Sum(m => m.SendFailures),
                messages.Sum(m => m.Delivered),
                messages.Sum(m => m.ExpectedDeliveries),
                messages.Sum(m => m.Lost),
                messages.Sum(m => m.Duplicates),
                messages.Sum(m => m.Gaps),
                Math.Round(messages.Sum(m => m.DeliveredPerSecond), 1),
                messages.Sum(m => m.PeakDeliveredPerSecond),
                messages.SelectMany(m => m.ByProtocol).GroupBy(p => p.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g =>
                    new ProtocolMessages(g.Sum(p => p.Value.Clients), g.Sum(p => p.Value.Lost), g.Sum(p => p.Value.Duplicates), g.Sum(p => p.Value.Gaps))),
                [.. messages.SelectMany(m => m.GapSamples).Take(10)]),
            SummaryBuilder.Latency(latency),
            Memory(parts, final),
            parts.SelectMany(p => p.Errors).GroupBy(e => e.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Sum(e => e.Value)),
            [.. parts.SelectMany((p, i) => p.Events.Select(e => e with { Detail = $"[generator {p.Generators?.Index ?? i}] {e.Detail}" })).OrderBy(e => e.Seconds)],
            Timeline(parts),
            new GeneratorSummary(null, parts.Count),
            new SummaryHistograms(HistogramPairs.From(latency), HistogramPairs.From(connectTime)));
    }

    /// <summary>Replica memory is seen only by the generator that started the local cluster; per connection it is over all of them.</summary>
    private static MemorySummary? Memory(IReadOnlyList<RunSummary> parts, int connections)
    {
        if (parts.Select(p => p.Memory).FirstOrDefault(m => m is not null) is not { } memory)
        {
            return null;
        }

        var peak = Math.Max(parts.Sum(p => p.Connections.Peak), connections);
        double? perConnectionKb = peak > 0 ? Math.Round(Math.Max(memory.ReplicasLoadedMb - memory.ReplicasIdleMb, 0) * 1024 / peak, 1) : null;
        double? perGb = perConnectionKb is > 0 ? Math.Round(1024 * 1024 / perConnectionKb.Value) : null;
        return memory with
        {
            Connections = peak,
            KilobytesPerConnection = perConnectionKb,
            ConnectionsPerGb = perGb,
            ToolMb = parts.Sum(p => p.Memory?.ToolMb ?? 0),
        };
    }

    private static List<TimelineSample> Timeline(IReadOnlyList<RunSummary> parts)
    {
        var length = parts.Min(p => p.Timeline.Count);
        return
        [
            .. Enumerable.Range(0, length).Select(i =>
            {
                var samples = parts.Select(p => p.Timeline[i]).ToArray();
                var replicas = samples.SelectMany(s => s.Replicas).GroupBy(r => r.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Sum(r => r.Value));
                var memory = samples.Select(s => s.MemoryMb).FirstOrDefault(m => m.Count > 0) ?? new Dictionary<string, double>();
                return new TimelineSample(samples.Max(s => s.Seconds), samples[0].Phase, samples.Sum(s => s.Connected), replicas,
                    samples.Sum(s => s.SentPerSecond), samples.Sum(s => s.DeliveredPerSecond), samples.Max(s => s.LatencyP99Ms),
                    samples.Sum(s => s.Reconnects), samples.Sum(s => s.Errors), memory);
            }),
        ];
    }
}
