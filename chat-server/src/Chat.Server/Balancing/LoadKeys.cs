using StackExchange.Redis;

namespace Chat.Server.Balancing;

/// <summary>
/// Where the load reports of one pool live in Redis. Replicas share a fair share only with the replicas of their
/// pool (<see cref="BalancingOptions.Pool"/>): chat-http pods (plain HTTP, never a long-lived connection) report in
/// their own pool and never make the WebSocket pool look above its fair share. The default pool (empty) keeps the
/// keys <c>chat:load:replicas</c> and <c>chat:load:{replica}</c>; a named one <c>chat:load:{pool}:…</c>.
/// </summary>
public static class LoadKeys
{
    public static RedisKey ReplicaSet(string pool) => pool.Length == 0 ? "chat:load:replicas" : $"chat:load:{pool}:replicas";

    public static RedisKey Replica(string pool, string replica) => pool.Length == 0 ? $"chat:load:{replica}" : $"chat:load:{pool}:{replica}";
}
