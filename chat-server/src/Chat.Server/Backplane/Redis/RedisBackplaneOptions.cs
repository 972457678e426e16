using System.ComponentModel.DataAnnotations;

namespace Chat.Server.Backplane.Redis;

/// <summary>The <c>Chat:Redis</c> section: how the Redis backplane confirms writes; validated at start-up.</summary>
public sealed class RedisBackplaneOptions
{
    public const string SectionName = "Chat:Redis";

    /// <summary>
    /// Replicas that must have a message before its sender is told it was sent (Redis <c>WAIT</c> after the append;
    /// a primary with fewer replicas, e.g. one just promoted, needs all it has).
    /// Redis replicates asynchronously, so on a primary failover an acknowledged write that had not reached a replica
    /// is lost; with 1 a confirmed message survives the loss of its primary. 0 (default) for a Redis without replicas.
    /// </summary>
    [Range(0, 16, ErrorMessage = SectionName + ":WaitForReplicas must be between 0 and 16.")]
    public int WaitForReplicas { get; set; }

    /// <summary>How long a send waits for <see cref="WaitForReplicas"/>; past it the sender gets "unavailable". Default 1 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:01:00", ErrorMessage = SectionName + ":WaitTimeout must be between 1 ms and 1 min.")]
    public TimeSpan WaitTimeout { get; set; } = TimeSpan.FromSeconds(1);
}
