using Chat.LoadTest.Clients;
using Chat.LoadTest.Metrics;
using Chat.LoadTest.Progress;
using Chat.LoadTest.Targets;

namespace Chat.LoadTest.Scenarios;

/// <summary>Every interval: connections per replica, rates, the interval's p99 and replica memory, into the log and the progress view.</summary>
public sealed class TimelineSampler(ScenarioSettings settings, RunLog log, LoadMetrics metrics, ClientFleet fleet, ITargetCluster cluster, IProgressView progress)
{
    private readonly Lock _lock = new();
    private double _lastSeconds;
    private long _lastSent;
    private long _lastDelivered;
    private bool _closed;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(settings.SampleInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                try
                {
                    SampleNow();
                }
                catch (Exception error) when (error is not OperationCanceledException)
                {
                    // One bad sample (a process that just went away) must not end the timeline.
                    metrics.Error("sampler: " + error.GetType().Name);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Takes a sample now (none once the last one was taken, see <see cref="TrySampleLast"/>).</summary>
    public void SampleNow()
    {
        lock (_lock)
        {
            if (!_closed)
            {
                Take();
            }
        }
    }

    /// <summary>Takes a sample and, when <paramref name="isLast"/> says so, ends the timeline with it (no sample slips in after).</summary>
    public bool TrySampleLast(Func<TimelineSample, bool> isLast)
    {
        lock (_lock)
        {
            if (_closed)
            {
                return true;
            }

            _closed = isLast(Take());
            return _closed;
        }
    }

    private TimelineSample Take()
    {
        var seconds = log.Seconds;
        var elapsed = Math.Max(seconds - _lastSeconds, 0.001);
        var sent = metrics.Sent;
        var delivered = metrics.Delivered;
        var interval = metrics.Latency.TakeInterval();
        metrics.ConnectTime.TakeInterval();

        var replicas = fleet.PerReplica();
        var memory = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var known in cluster.KnownReplicas)
        {
            replicas.TryAdd(known, 0);
            if (cluster.MemoryBytes(known) is { } bytes)
            {
                memory[known] = Math.Round(bytes / 1048576.0, 1);
            }
        }

        var sample = new TimelineSample(
            Math.Round(seconds, 2),
            log.Phase,
            replicas.Values.Sum(),
            replicas,
            Math.Round((sent - _lastSent) / elapsed, 1),
            Math.Round((delivered - _lastDelivered) / elapsed, 1),
            interval.TotalCount > 0 ? interval.GetValueAtPercentile(99) / 1000.0 : null,
            metrics.Reconnects,
            metrics.ErrorCount,
            memory);
        _lastSeconds = seconds;
        _lastSent = sent;
        _lastDelivered = delivered;
        log.Add(sample);

        var total = metrics.Latency.IntervalsSoFar();
        progress.Update(new ProgressSnapshot(settings.Kind.Name(), fleet.Clients.Count, settings.Duration, sample, sent, delivered,
            metrics.Duplicates, metrics.Reconnects, metrics.RebalanceCloses, metrics.Drops, metrics.ErrorCount,
            total.TotalCount > 0 ? total.GetValueAtPercentile(99) / 1000.0 : null));
        return sample;
    }
}
