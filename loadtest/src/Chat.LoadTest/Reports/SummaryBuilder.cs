using Chat.LoadTest.Clients;
using Chat.LoadTest.Metrics;
using Chat.LoadTest.Scenarios;
using Chat.LoadTest.Targets;
using HdrHistogram;

namespace Chat.LoadTest.Reports;

/// <summary>Turns the run's log, counters and clients into a <see cref="RunSummary"/>.</summary>
public static class SummaryBuilder
{
    public static RunSummary Build(ScenarioSettings settings, ITargetCluster cluster, RunLog log, LoadMetrics metrics, ClientFleet fleet,
        (double Start, double End) hold, bool cancelled)
    {
        var samples = log.Samples;
        var holding = samples.Where(s => s.Phase == "holding").ToArray();
        var running = cluster.Control?.RunningReplicas;
        var sequences = fleet.SequenceReports();
        var holdSeconds = Math.Max(hold.End - hold.Start, 0.001);
        var (delivered, latency) = metrics.TotalDeliveries();
        var connectTime = metrics.ConnectTime.Total();

        var messages = new MessageSummary(
            metrics.Sent,
            metrics.Acked,
            fleet.Unconfirmed(),
            metrics.SendFailures,
            delivered,
            fleet.ExpectedDeliveries(),
            fleet.Lost(),
            metrics.Duplicates,
            sequences.Sum(s => s.Gaps),
            Math.Round(holding.Sum(s => s.DeliveredPerSecond) / Math.Max(holding.Length, 1), 1),
            samples.Count == 0 ? 0 : samples.Max(s => s.DeliveredPerSecond),
            Enum.GetValues<ClientProtocol>().ToDictionary(p => p.ToString().ToLowerInvariant(), p =>
            {
                var (clients, lost, duplicates, gaps) = fleet.ByProtocol(p);
                return new ProtocolMessages(clients, lost, duplicates, gaps);
            }),
            fleet.GapSamples(10));

        return new RunSummary(
            settings.Kind.Name(),
            cluster.Description,
            log.StartedAt,
            Math.Round(log.Seconds, 2),
            cancelled,
            new SettingsSummary(settings.Connections, settings.Rooms, settings.MembersPerRoom, settings.ConnectRate, settings.PublishRate,
                settings.Duration.TotalSeconds, settings.StompRatio, fleet.Count(ClientProtocol.SignalR), fleet.Count(ClientProtocol.Stomp),
                settings.AddReplicas, settings.InjectGap),
            new ConnectionSummary(
                fleet.Clients.Count,
                samples.Count == 0 ? 0 : samples.Max(s => s.Connected),
                samples.LastOrDefault()?.Connected ?? 0, // the closing sample: everyone back, when settling got there
                metrics.Connects,
                metrics.ConnectFailures,
                metrics.Reconnects,
                metrics.RebalanceCloses,
                metrics.Drops,
                Ms(connectTime, 50),
                Ms(connectTime, 99)),
            Replicas(samples, holding, running),
            Balance(samples.LastOrDefault(), running),
            messages,
            Latency(latency),
            Memory(samples),
            new Dictionary<string, long>(metrics.Errors),
            log.Events,
            samples,
            new GeneratorSummary(settings.Generator.IsPartOfMany ? settings.Generator.Index : null, settings.Generator.Count),
            new SummaryHistograms(HistogramPairs.From(latency), HistogramPairs.From(connectTime)));
    }

    private static List<ReplicaSummary> Replicas(IReadOnlyList<TimelineSample> samples, TimelineSample[] holding, IReadOnlyList<string>? running)
    {
        var ids = samples.SelectMany(s => s.Replicas.Keys).Distinct().Order(StringComparer.Ordinal);
        var last = samples.LastOrDefault();
        return
        [
            .. ids.Select(id => new ReplicaSummary(
                id,
                holding.LastOrDefault()?.Replicas.GetValueOrDefault(id) ?? 0,
                samples.Max(s => s.Replicas.GetValueOrDefault(id)),
                Math.Round(holding.Select(s => (double)s.Replicas.GetValueOrDefault(id)).DefaultIfEmpty().Average(), 1),
                running?.Contains(id) ?? (last?.Replicas.GetValueOrDefault(id) ?? 0) > 0,
                samples.Select(s => s.MemoryMb.TryGetValue(id, out var mb) ? mb : (double?)null).Max())),
        ];
    }

    private static BalanceSummary Balance(TimelineSample? sample, IReadOnlyList<string>? running)
    {
        var counts = sample is null
            ? []
            : running is null
                ? sample.Replicas.Values.Where(c => c > 0).ToArray()
                : running.Select(id => sample.Replicas.GetValueOrDefault(id)).ToArray();
        return BalanceOf(counts);
    }

    public static BalanceSummary BalanceOf(int[] counts)
    {
        if (counts.Length == 0)
        {
            return new BalanceSummary(0, 0, 0, 0, 0, 0);
        }

        var mean = counts.Average();
        var deviation = Math.Sqrt(counts.Average(c => (c - mean) * (c - mean)));
        return new BalanceSummary(counts.Length, counts.Max(), counts.Min(), Math.Round(mean, 1),
            mean == 0 ? 0 : Math.Round(counts.Max() / mean, 3), Math.Round(deviation, 2));
    }

    public static LatencySummary Latency(HistogramBase histogram)
    {
        if (histogram.TotalCount == 0)
        {
            return new LatencySummary(0, null, null, null, null, null, null, []);
        }

        var distribution = histogram.Percentiles(5)
            .Select(p => new PercentilePoint(Math.Round(p.PercentileLevelIteratedTo, 4), p.ValueIteratedTo / 1000.0))
            .Where(p => p.Percentile <= 99.999)
            .ToList();
        return new LatencySummary(histogram.TotalCount, Ms(histogram, 50), Ms(histogram, 90), Ms(histogram, 99), Ms(histogram, 99.9),
            histogram.GetMaxValue() / 1000.0, Math.Round(histogram.GetMean() / 1000.0, 3), distribution);
    }

    private static MemorySummary? Memory(IReadOnlyList<TimelineSample> samples)
    {
        var measured = samples.Where(s => s.MemoryMb.Count > 0).ToArray();
        if (measured.Length == 0)
        {
            return null;
        }

        var idle = measured[0];
        var loaded = measured.MaxBy(s => s.Connected)!;
        var idleMb = idle.MemoryMb.Values.Sum();
        var loadedMb = loaded.MemoryMb.Values.Sum();
        double? perConnectionKb = loaded.Connected > 0 ? Math.Round(Math.Max(loadedMb - idleMb, 0) * 1024 / loaded.Connected, 1) : null;
        double? perGb = perConnectionKb is > 0 ? Math.Round(1024 * 1024 / perConnectionKb.Value) : null;
        return new MemorySummary(loaded.Connected, Math.Round(idleMb, 1), Math.Round(loadedMb, 1), perConnectionKb, perGb,
            Math.Round(Environment.WorkingSet / 1048576.0, 1));
    }

    public static double? Ms(HistogramBase histogram, double percentile) =>
        histogram.TotalCount == 0 ? null : histogram.GetValueAtPercentile(percentile) / 1000.0;
}
