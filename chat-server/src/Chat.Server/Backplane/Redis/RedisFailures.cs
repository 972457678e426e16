using StackExchange.Redis;

namespace Chat.Server.Backplane.Redis;

/// <summary>
/// Which Redis failures mean "the store is unavailable, nothing was written": no connection, a timeout, or a server
/// that refuses writes (maxmemory with noeviction: OOM; a read-only replica; loading; a cluster without quorum).
/// The client gets the clear "unavailable" error, and no stack trace is logged for it.
/// </summary>
internal static class RedisFailures
{
    private static readonly string[] RefusalPrefixes = ["OOM", "READONLY", "LOADING", "MASTERDOWN", "CLUSTERDOWN", "TRYAGAIN", "NOREPLICAS", "BUSY"];

    public static bool IsUnavailable(Exception e) =>
        e is RedisConnectionException or RedisTimeoutException
        || (e is RedisServerException && RefusalPrefixes.Any(p => e.Message.StartsWith(p, StringComparison.Ordinal)));

    public static BrokerUnavailableException Unavailable(Exception e) => e is RedisServerException
        ? new BrokerUnavailableException("Redis refuses writes: " + e.Message, e)
        : new BrokerUnavailableException("Redis did not answer: " + e.Message, e);
}
