using Chat.Server.Hosting;
using Chat.Server.Presence;
using Microsoft.Extensions.Options;

namespace Chat.Server.Rooms.Redis;

/// <summary>Keeps this replica's presence entries alive in Redis (a third of their TTL), and puts them back after Redis lost them.</summary>
public sealed class RedisPresenceRefresher(
    RedisPresenceStore store,
    PresenceTracker tracker,
    IOptions<ChatOptions> options,
    TimeProvider time,
    ILogger<RedisPresenceRefresher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.PresenceTtlSeconds / 3.0), time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await store.RefreshAsync(tracker.Snapshot());
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "Refreshing presence in Redis failed; retrying at the next tick");
            }
        }
    }
}
