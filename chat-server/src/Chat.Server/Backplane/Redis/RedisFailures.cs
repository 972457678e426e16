using StackExchange.Redis;

namespace Chat.Server.Backplane.Redis;

/// <summary>Which Redis errors mean "not reachable right now" (the caller hears "unavailable") rather than a fault of ours.</summary>
internal static class RedisFailures
{
    // Cluster and replication states that pass: a failover in progress, a node loading its data, a demoted primary.
    private static readonly string[] TransientServerErrors = ["CLUSTERDOWN", "TRYAGAIN", "LOADING", "READONLY", "MASTERDOWN", "MOVED", "ASK"];

    public static bool IsUnavailable(Exception e) => e switch
    {
        RedisConnectionException or RedisTimeoutException or TimeoutException => true,
        RedisServerException server => TransientServerErrors.Any(prefix => server.Message.StartsWith(prefix, StringComparison.Ordinal)),
        _ => false,
    };
}
