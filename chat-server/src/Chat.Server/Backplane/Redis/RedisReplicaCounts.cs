using System.Collections.Concurrent;
using System.Net;
using StackExchange.Redis;

namespace Chat.Server.Backplane.Redis;

/// <summary>
/// How many replicas each primary has right now (from ROLE), cached for a moment. After a failover the promoted
/// primary may have none until the old node comes back: a write can then only be confirmed by the primary itself.
/// </summary>
internal sealed class RedisReplicaCounts(IConnectionMultiplexer redis, TimeProvider time)
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(2);
    private readonly ConcurrentDictionary<EndPoint, (int Replicas, DateTimeOffset At)> _counts = new();

    public async Task<int> OfAsync(EndPoint primary)
    {
        var now = time.GetUtcNow();
        if (_counts.TryGetValue(primary, out var known) && now - known.At < MaxAge)
        {
            return known.Replicas;
        }

        var role = await redis.GetServer(primary).RoleAsync();
        var replicas = role is Role.Master master ? master.Replicas.Count : 0;
        _counts[primary] = (replicas, now);
        return replicas;
    }
}
