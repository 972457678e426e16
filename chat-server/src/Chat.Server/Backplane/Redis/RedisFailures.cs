using StackExchange.Redis;

namespace Chat.Server.Backplane.Redis;

/// <summary>
/// Which Redis failures mean "the store is unavailable, nothing was written" (the caller hears "unavailable") rather
/// than a fault of ours: no connection, a timeout, a cluster or replication state that passes (a failover, a node
/// loading its data, a demoted primary), or a server that refuses writes (maxmemory with noeviction: OOM). No stack
/// trace is logged for them and the client gets no client-library detail.
/// </summary>
internal static class RedisFailures
{
    private static readonly string[] RefusalPrefixes =
        ["CLUSTERDOWN", "TRYAGAIN", "LOADING", "READONLY", "MASTERDOWN", "MOVED", "ASK", "OOM", "NOREPLICAS", "BUSY"];

    public static bool IsUnavailable(Exception e) => e switch
    {
        RedisConnectionException or RedisTimeoutException or TimeoutException => true,
        RedisServerException server => RefusalPrefixes.Any(prefix => server.Message.StartsWith(prefix, StringComparison.Ordinal)),
        _ => false,
    };

    public static BrokerUnavailableException Unavailable(Exception e) => e is RedisServerException
        ? new BrokerUnavailableException("Redis refuses writes.", e)
        : new BrokerUnavailableException("Redis did not answer.", e);
}
