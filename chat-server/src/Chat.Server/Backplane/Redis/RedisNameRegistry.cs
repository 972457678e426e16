using Chat.Server.Hosting;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Chat.Server.Backplane.Redis;

/// <summary>
/// Name claims as one string key per room and name key (<see cref="RedisKeys.Name"/>, in the room's slot), value the
/// owner, with the presence TTL: refreshed by the replicas that hold the user, gone after a crash.
/// </summary>
public sealed class RedisNameRegistry(IConnectionMultiplexer redis, IOptions<ChatOptions> options) : INameRegistry
{
    // KEYS: name. ARGV: owner, ttl ms. 1 = held by this owner now, 0 = another owner holds it.
    private const string ClaimScript = """
        local current = redis.call('GET', KEYS[1])
        if current and current ~= ARGV[1] then return 0 end
        redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
        return 1
        """;

    // KEYS: name. ARGV: owner.
    private const string ReleaseScript = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
        return 0
        """;

    private readonly long _ttlMs = options.Value.PresenceTtlSeconds * 1000L;

    public async Task<bool> ClaimAsync(string room, string key, string owner, CancellationToken cancellationToken = default) =>
        (long)await RunAsync(ClaimScript, RedisKeys.Name(room, key), [owner, _ttlMs]) == 1;

    public async Task RefreshAsync(IReadOnlyList<(string Room, string Key, string Owner)> claims, CancellationToken cancellationToken = default)
    {
        if (claims.Count == 0 || !redis.IsConnected)
        {
            return;
        }

        var db = redis.GetDatabase();
        await Task.WhenAll(claims.Select(c => db.ScriptEvaluateAsync(ClaimScript, [RedisKeys.Name(c.Room, c.Key)], [c.Owner, _ttlMs])));
    }

    public Task ReleaseAsync(string room, string key, string owner, CancellationToken cancellationToken = default) =>
        RunAsync(ReleaseScript, RedisKeys.Name(room, key), [owner]);

    private async Task<RedisResult> RunAsync(string script, RedisKey key, RedisValue[] arguments)
    {
        if (!redis.IsConnected)
        {
            throw new BrokerUnavailableException("Redis is not connected.");
        }

        try
        {
            return await redis.GetDatabase().ScriptEvaluateAsync(script, [key], arguments);
        }
        catch (Exception e) when (RedisFailures.IsUnavailable(e))
        {
            throw RedisFailures.Unavailable(e);
        }
    }
}
