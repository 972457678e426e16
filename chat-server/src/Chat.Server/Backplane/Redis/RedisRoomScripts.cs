namespace Chat.Server.Backplane.Redis;

/// <summary>The Lua scripts of the Redis broker: each one atomic, so every replica sees one order per room.</summary>
internal static class RedisRoomScripts
{
    // Shared head: a room without meta (new, or lost by Redis) gets a new epoch and starts again at offset 0.
    private const string EnsureEpoch = """
        local epoch = redis.call('HGET', KEYS[1], 'epoch')
        if not epoch then
          epoch = ARGV[1]
          redis.call('HSET', KEYS[1], 'epoch', epoch, 'offset', 0)
          redis.call('DEL', KEYS[2])
        end
        """;

    /// <summary>
    /// KEYS: meta, stream. ARGV: epoch if new, max stream length, payload, channel.
    /// Appends with id `offset-1` and publishes `epoch\noffset\npayload`; returns { epoch, offset }.
    /// </summary>
    public const string Publish = EnsureEpoch + """

        local offset = redis.call('HINCRBY', KEYS[1], 'offset', 1)
        redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[2], offset .. '-1', 'p', ARGV[3])
        redis.call('SPUBLISH', ARGV[4], epoch .. '\n' .. offset .. '\n' .. ARGV[3])
        return { epoch, offset }
        """;

    /// <summary>
    /// KEYS: meta, stream. ARGV: epoch if new, the reader's epoch ('' for none), its offset, count.
    /// Same epoch: entries after the offset. Other epoch: everything retained. No epoch: the last `count`, newest first.
    /// Returns { epoch, offset, entries }.
    /// </summary>
    public const string Read = EnsureEpoch + """

        local offset = redis.call('HGET', KEYS[1], 'offset')
        local entries
        if ARGV[2] == epoch then
          entries = redis.call('XRANGE', KEYS[2], (tonumber(ARGV[3]) + 1) .. '-0', '+')
        elseif ARGV[2] ~= '' then
          entries = redis.call('XRANGE', KEYS[2], '-', '+')
        else
          entries = redis.call('XREVRANGE', KEYS[2], '+', '-', 'COUNT', ARGV[4])
        end
        return { epoch, offset, entries }
        """;
}
