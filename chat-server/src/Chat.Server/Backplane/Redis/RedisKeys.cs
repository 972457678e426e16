using StackExchange.Redis;

namespace Chat.Server.Backplane.Redis;

/// <summary>
/// Redis names of a room. The `{room}` hash tag keeps a room's keys in one cluster slot, as its scripts need.
/// </summary>
internal static class RedisKeys
{
    /// <summary>Hash with the room's `epoch` and last `offset`.</summary>
    public static RedisKey Meta(string room) => $"chat:{{{room}}}:meta";

    /// <summary>Stream of the room's messages; entry ids are `&lt;offset&gt;-1`.</summary>
    public static RedisKey Stream(string room) => $"chat:{{{room}}}:stream";

    /// <summary>Set of the room's members.</summary>
    public static RedisKey Members(string room) => $"chat:{{{room}}}:members";

    /// <summary>Prefix of the per-user sorted sets: replica → expiry (ms).</summary>
    public static string PresencePrefix(string room) => $"chat:{{{room}}}:presence:";

    /// <summary>Who holds a name in the room (anonymous mode): string, the owner, with the presence TTL.</summary>
    public static RedisKey Name(string room, string key) => $"chat:{{{room}}}:name:{key}";

    /// <summary>The room's sharded pub/sub channel (SPUBLISH/SSUBSCRIBE): on a Redis Cluster only the shard that owns the room's slot carries it.</summary>
    public static RedisChannel Channel(string room) => RedisChannel.Sharded($"chat:{{{room}}}:messages");
}
