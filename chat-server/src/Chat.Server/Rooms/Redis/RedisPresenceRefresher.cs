using Chat.Server.Hosting;
using Chat.Server.Presence;
using Microsoft.Extensions.Options;

namespace Chat.Server.Rooms.Redis;

/// <summary>
/// Every third of the presence TTL: keeps this replica's presence entries alive in Redis (and puts them back after
/// Redis lost them), and announces the LEAVE of users whose replica stopped refreshing theirs (it crashed) in the
/// rooms this replica has users in.
/// </summary>
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
                var present = await tracker.RefreshAsync(store.RefreshAsync, stoppingToken);
                foreach (var room in present.Select(p => p.Room).Distinct())
                {
                    foreach (var user in await store.PruneAsync(room))
                    {
                        await tracker.AnnounceLeaveAsync(room, user);
                    }
                }
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "Refreshing presence in Redis failed; retrying at the next tick");
            }
        }
    }
}
