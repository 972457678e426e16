namespace Chat.Server.Backplane.Redis;

/// <summary>
/// The Lua scripts of the Redis broker: each one atomic, so every replica sees one order per room. Numbers come in
/// as integer strings (never formatted by Lua), and only a publish creates a room's keys; every use refreshes their TTL.
/// </summary>
internal static class RedisRoomScripts
{
    /// <summary>
    /// KEYS: meta, stream. ARGV: epoch if new, max stream length, payload, channel, retention ms.
    /// A room without meta (new, or lost by Redis) gets the new epoch and starts again at offset 0.
    /// Appends with id `offset-1` and publishes `epoch\noffset\npayload`; returns { epoch, offset }.
    /// </summary>
    public const string Publish = """
        local epoch = redis.call('HGET', KEYS[1], 'epoch')
        if not epoch then
          epoch = ARGV[1]
          redis.call('HSET', KEYS[1], 'epoch', epoch, 'offset', 0)
          redis.call('DEL', KEYS[2])
        end
        local offset = redis.call('HINCRBY', KEYS[1], 'offset', 1)
        redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[2], offset .. '-1', 'p', ARGV[3])
        redis.call('PEXPIRE', KEYS[1], ARGV[5])
        redis.call('PEXPIRE', KEYS[2], ARGV[5])
        redis.call('SPUBLISH', ARGV[4], epoch .. '\n' .. offset .. '\n' .. ARGV[3])
        return { epoch, offset }
        """;

    /// <summary>
    /// KEYS: meta, stream. ARGV: the reader's epoch ('' for none), the first stream id it wants (`n-0`), count,
    /// retention ms. Same epoch: the latest `count` entries from that id on; otherwise the latest `count`. Newest
    /// first. A room that does not exist is not created: { '', '0', {} }. Returns { epoch, offset, entries }.
    /// </summary>
    public const string Read = """
        local epoch = redis.call('HGET', KEYS[1], 'epoch')
        if not epoch then
          return { '', '0', {} }
        end
        local offset = redis.call('HGET', KEYS[1], 'offset')
        local first = '-'
        if ARGV[1] == epoch then
          first = ARGV[2]
        end
        redis.call('PEXPIRE', KEYS[1], ARGV[4])
        redis.call('PEXPIRE', KEYS[2], ARGV[4])
        return { epoch, offset, redis.call('XREVRANGE', KEYS[2], '+', first, 'COUNT', ARGV[3]) }
        """;
}
