using Chat.Server.Connections;
using Chat.Server.Hosting;
using Microsoft.Extensions.Options;

namespace Chat.Server.Balancing;

/// <summary>
/// When this replica holds more than its fair share of the cluster's connections (see <see cref="FairShare"/>),
/// it closes the excess, newest first, at most <see cref="BalancingOptions.MaxClosesPerSecond"/> within a
/// second, then waits <see cref="BalancingOptions.SettleTime"/> for the clients to land elsewhere and the reports
/// to show it before looking again. It acts only on a settled cluster: while the total moves by more than
/// a quarter of <see cref="BalancingOptions.Tolerance"/> between two reports (clients arriving or reconnecting), the reports
/// of different replicas are too far apart in time to compare; it waits for two such steady reads in a row.
/// A replica that never had a connection may not be reachable through the proxies yet (started, not yet in their
/// configuration); while only such replicas are below the fair share, one connection per round is handed over as
/// a probe, and full rebalancing starts once the replica has got one. Every round, a probe too, then waits
/// <see cref="BalancingOptions.SettleTime"/>; when closed clients come back here anyway, the next rounds back off
/// (see <see cref="RebalanceBackoff"/>), so a peer that never gets a connection costs a few probes, not one every
/// round forever.
/// </summary>
public sealed class Rebalancer(
    ConnectionRegistry registry,
    ClusterLoad clusterLoad,
    DrainState drain,
    ConnectionHandover handover,
    IOptions<ChatOptions> chatOptions,
    IOptions<BalancingOptions> options,
    TimeProvider time,
    ILogger<Rebalancer> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        using var timer = new PeriodicTimer(settings.ReportInterval, time);
        long? previousTotal = null;
        var steadyReads = 0;
        var reachable = new HashSet<string>(StringComparer.Ordinal);
        var backoff = new RebalanceBackoff(settings.FutileBackoff, settings.MaxFutileBackoff);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            if (drain.Draining)
            {
                return;
            }

            var replicas = clusterLoad.Replicas;
            // Only fresh reports are compared: a replica slow to report looks emptier than it is.
            var now = time.GetUtcNow();
            if (!replicas.ContainsKey(chatOptions.Value.ReplicaId)
                || clusterLoad.ReadAt < now - settings.ReportInterval * 2
                || clusterLoad.OldestReport < now - settings.ReportInterval * 2.5)
            {
                previousTotal = null;
                continue;
            }

            var own = registry.Count;
            // Its own entry is the live count: set against its own report of a second ago, a replica that just got
            // its first clients would look above a fair share of zero.
            var loads = replicas.ToDictionary(r => r.Key, r => r.Key == chatOptions.Value.ReplicaId ? own : r.Value);
            var counts = loads.Values.ToArray();
            var total = counts.Sum();
            var settled = previousTotal is { } previous && Math.Abs(total - previous) <= Math.Max(settings.MinExcess, total * settings.Tolerance / 4);
            previousTotal = total;
            // Two steady reads in a row: a ramp of new clients that slows down for one interval is not yet settled.
            steadyReads = settled ? steadyReads + 1 : 0;
            if (steadyReads < 2)
            {
                continue;
            }

            reachable.UnionWith(loads.Where(r => r.Value > 0).Select(r => r.Key));
            var reachableCounts = loads.Where(r => reachable.Contains(r.Key)).Select(r => r.Value).ToArray();
            var excess = FairShare.Excess(own, reachableCounts, settings.Tolerance, settings.MinExcess);
            var probe = excess == 0 && FairShare.Excess(own, counts, settings.Tolerance, settings.MinExcess) > 0;
            if (excess == 0 && !probe)
            {
                if (backoff.Reset())
                {
                    logger.LogInformation("Rebalancing: within the fair share again ({Own} connections here)", own);
                }

                continue;
            }

            var batch = registry.Snapshot().Take(probe ? 1 : Math.Min(excess, settings.MaxClosesPerSecond)).ToArray();
            logger.LogInformation(
                "Rebalancing: {Own} connections here, {Total} on {Replicas} replicas; handing over {Count}",
                own, total, counts.Length, batch.Length);
            await handover.CloseAsync(batch, TimeSpan.FromSeconds(1), "rebalance", stoppingToken);
            await Task.Delay(settings.SettleTime, time, stoppingToken);
            previousTotal = null;
            var after = registry.Count;
            if (backoff.RoundCompleted(own, after, batch.Length))
            {
                LogBackoffChange(backoff, own, after);
            }

            await Task.Delay(backoff.Delay, time, stoppingToken);
        }
    }

    private void LogBackoffChange(RebalanceBackoff backoff, long before, long after)
    {
        if (backoff.BackingOff)
        {
            logger.LogWarning(
                "Rebalancing backs off: {Before} connections here before closing, {After} after; the clients came back, so the emptier replicas do not get new connections (not reachable through the proxies?)",
                before, after);
        }
        else
        {
            logger.LogInformation("Rebalancing works again: {Before} connections here before closing, {After} after", before, after);
        }
    }
}
