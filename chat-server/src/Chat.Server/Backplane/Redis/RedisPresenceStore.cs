using Chat.Server.Hosting;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Chat.Server.Backplane.Redis;

/// <summary>
/// Presence across replicas. Per room a set of member names, and per member a sorted set of the replicas that hold
/// them, scored with an expiry: a replica refreshes its entries, so the users of a replica that crashed drop out
/// after <see cref="ChatOptions.PresenceTtlSeconds"/>
/// (and a replica still in the room announces their LEAVE, see <see cref="Presence.PresenceRefresher"/>). Each change is one script, so exactly one replica sees a
/// user appear (JOIN) or disappear (LEAVE).
/// </summary>
public sealed class RedisPresenceStore(IConnectionMultiplexer redis, IOptions<ChatOptions> options) : IPresenceStore
{
    private const string Now = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        """;

    // KEYS: members, user's replicas. ARGV: user, replica, ttl ms. Returns 1 when the user was present nowhere.
    // The members set outlives its users' entries (3 TTLs), so that a replica still in the room announces the LEAVE
    // of a crashed replica's users; a room nobody refreshes any more loses the set too.
    private const string AddScript = Now + """

        redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
        local before = redis.call('ZCARD', KEYS[2])
        redis.call('ZADD', KEYS[2], now + tonumber(ARGV[3]), ARGV[2])
        redis.call('PEXPIRE', KEYS[2], ARGV[3])
        redis.call('SADD', KEYS[1], ARGV[1])
        redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[3]) * 3)
        if before == 0 then return 1 else return 0 end
        """;

    // KEYS: members, user's replicas. ARGV: user, replica. Returns 1 when the user is now present nowhere.
    private const string RemoveScript = Now + """

        redis.call('ZREM', KEYS[2], ARGV[2])
        redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
        if redis.call('ZCARD', KEYS[2]) == 0 then
          return redis.call('SREM', KEYS[1], ARGV[1])
        end
        return 0
        """;

    // KEYS: members. ARGV: prefix of the users' keys. The users some replica still holds.
    private const string MembersScript = Now + """

        local present = {}
        for _, user in ipairs(redis.call('SMEMBERS', KEYS[1])) do
          if redis.call('ZCOUNT', ARGV[1] .. user, '(' .. now, '+inf') > 0 then
            table.insert(present, user)
          end
        end
        return present
        """;

    // KEYS: members. ARGV: prefix of the users' keys. Removes the users whose replicas all expired; returns them.
    private const string PruneScript = Now + """

        local gone = {}
        for _, user in ipairs(redis.call('SMEMBERS', KEYS[1])) do
          local key = ARGV[1] .. user
          redis.call('ZREMRANGEBYSCORE', key, '-inf', now)
          if redis.call('ZCARD', key) == 0 then
            redis.call('SREM', KEYS[1], user)
            table.insert(gone, user)
          end
        end
        return gone
        """;

    private readonly string _replica = options.Value.ReplicaId;
    private readonly long _ttlMs = options.Value.PresenceTtlSeconds * 1000L;

    public async Task<bool> AddAsync(string room, string user, CancellationToken cancellationToken = default) =>
        (long)await RunAsync(AddScript, [RedisKeys.Members(room), UserKey(room, user)], [user, _replica, _ttlMs]) == 1;

    public async Task<bool> RemoveAsync(string room, string user, CancellationToken cancellationToken = default) =>
        (long)await RunAsync(RemoveScript, [RedisKeys.Members(room), UserKey(room, user)], [user, _replica]) == 1;

    public async Task<IReadOnlyList<string>> GetMembersAsync(string room, CancellationToken cancellationToken = default)
    {
        var result = await RunAsync(MembersScript, [RedisKeys.Members(room)], [RedisKeys.PresencePrefix(room)]);
        return ((string[])result!).Order(StringComparer.Ordinal).ToArray();
    }

    public async Task<IReadOnlyList<string>> PruneAsync(string room, CancellationToken cancellationToken = default)
    {
        var result = await RunAsync(PruneScript, [RedisKeys.Members(room)], [RedisKeys.PresencePrefix(room)]);
        return (string[])result!;
    }

    /// <summary>In one pipelined batch.</summary>
    public async Task RefreshAsync(IReadOnlyList<(string Room, string User)> entries, CancellationToken cancellationToken = default)
    {
        if (entries.Count == 0 || !redis.IsConnected)
        {
            return;
        }

        var db = redis.GetDatabase();
        await Task.WhenAll(entries.Select(e =>
            db.ScriptEvaluateAsync(AddScript, [RedisKeys.Members(e.Room), UserKey(e.Room, e.User)], [e.User, _replica, _ttlMs])));
    }

    private static RedisKey UserKey(string room, string user) => RedisKeys.PresencePrefix(room) + user;

    private async Task<RedisResult> RunAsync(string script, RedisKey[] keys, RedisValue[] arguments)
    {
        if (!redis.IsConnected)
        {
            throw new BrokerUnavailableException("Redis is not connected.");
        }

        try
        {
            return await redis.GetDatabase().ScriptEvaluateAsync(script, keys, arguments);
        }
        catch (Exception e) when (RedisFailures.IsUnavailable(e))
        {
            throw RedisFailures.Unavailable(e);
        }
    }
}
