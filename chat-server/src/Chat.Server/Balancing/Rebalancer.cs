using Chat.Server.Connections;
using Chat.Server.Hosting;
using Microsoft.Extensions.Options;

namespace Chat.Server.Balancing;

/// <summary>
/// When this replica holds more than its fair share of the cluster's connections (see <see cref="FairShare"/>),
/// it closes the excess, newest first, at most <see cref="BalancingOptions.MaxClosesPerSecond"/> within a
/// second, then waits <see cref="BalancingOptions.SettleTime"/> for the clients to land elsewhere and the reports
/// to show it before looking again.
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
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            if (drain.Draining)
            {
                return;
            }

            var replicas = clusterLoad.Replicas;
            if (!replicas.ContainsKey(chatOptions.Value.ReplicaId) || clusterLoad.ReadAt < time.GetUtcNow() - settings.ReportTtl)
            {
                continue;
            }

            var own = registry.Count;
            var counts = replicas.Values.ToArray();
            var excess = FairShare.Excess(own, counts, settings.Tolerance, settings.MinExcess);
            if (excess == 0)
            {
                continue;
            }

            var batch = registry.Snapshot().Take(Math.Min(excess, settings.MaxClosesPerSecond)).ToArray();
            logger.LogInformation(
                "Rebalancing: {Own} connections here, {Total} on {Replicas} replicas; handing over {Count}",
                own, counts.Sum(), counts.Length, batch.Length);
            await handover.CloseAsync(batch, TimeSpan.FromSeconds(1), "rebalance", stoppingToken);
            await Task.Delay(settings.SettleTime, time, stoppingToken);
        }
    }
}
