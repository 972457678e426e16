using Chat.Server.Backplane;
using Chat.Server.Hosting;
using Chat.Server.Observability;
using Chat.Server.Rooms;
using Microsoft.Extensions.Options;

namespace Chat.Server.Presence;

/// <summary>
/// Every third of the presence TTL: keeps this replica's presence entries and name claims alive in the store (and
/// puts them back after the store lost them), and announces the LEAVE of users whose replica stopped refreshing theirs (it crashed)
/// in the rooms this replica has users in.
/// </summary>
public sealed class PresenceRefresher(
    IPresenceStore store,
    INameRegistry names,
    PresenceTracker tracker,
    IOptions<ChatOptions> options,
    ChatMetrics metrics,
    TimeProvider time,
    ILogger<PresenceRefresher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.PresenceTtlSeconds / 3.0), time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var present = await tracker.RefreshAsync(entries => store.RefreshAsync(entries, stoppingToken), stoppingToken);
                await names.RefreshAsync(tracker.HeldClaims(), stoppingToken);
                foreach (var room in present.Select(p => p.Room).Distinct())
                {
                    foreach (var user in await store.PruneAsync(room, stoppingToken))
                    {
                        await tracker.AnnounceLeaveAsync(room, user);
                    }
                }
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                metrics.Error(ChatErrorKinds.Background);
                logger.LogWarning(e, "Refreshing presence failed; retrying at the next tick");
            }
        }
    }
}
