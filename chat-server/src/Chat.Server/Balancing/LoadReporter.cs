using Chat.Server.Backplane;
using Chat.Server.Connections;
using Chat.Server.Observability;
using Chat.Server.Rooms;
using Microsoft.Extensions.Options;

namespace Chat.Server.Balancing;

/// <summary>
/// Every <see cref="BalancingOptions.ReportInterval"/> this replica reports its connection count to its pool's load
/// store and reads everyone's into <see cref="ClusterLoad"/>. A replica reports from its first successful readiness
/// answer on (see <see cref="ProxyReadiness"/>); a draining one withdraws its report at once and only reads.
/// </summary>
public sealed class LoadReporter(
    ILoadStore store,
    ConnectionRegistry registry,
    ClusterLoad clusterLoad,
    DrainState drain,
    ProxyReadiness readiness,
    IOptions<BalancingOptions> options,
    ChatMetrics metrics,
    TimeProvider time,
    ILogger<LoadReporter> logger) : BackgroundService, IDrainParticipant
{
    public async Task DrainStartingAsync(CancellationToken cancellationToken)
    {
        try
        {
            await store.WithdrawAsync(cancellationToken);
        }
        catch (BrokerUnavailableException e)
        {
            logger.LogWarning("Could not withdraw the load report ({Error}); it expires by itself", e.Message);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.ReportInterval, time);
        do
        {
            try
            {
                var reports = drain.Draining || !readiness.Answered
                    ? await store.ReadAsync(stoppingToken)
                    : await store.ReportAsync(registry.Count, stoppingToken);
                var now = time.GetUtcNow();
                var oldest = reports.Count == 0 ? now : reports.Values.Min(r => r.At);
                clusterLoad.Update(reports.ToDictionary(r => r.Key, r => r.Value.Connections, StringComparer.Ordinal), now, oldest);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                metrics.Error(ChatErrorKinds.Background);
                // A background service must never take the host down: log, and try again at the next tick.
                logger.LogWarning("Load report failed ({Error}); retrying at the next tick", e.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
