namespace Chat.Server.Balancing;

/// <summary>The live replicas of the cluster and their connection counts, as last read from the reports.</summary>
public sealed class ClusterLoad
{
    private volatile IReadOnlyDictionary<string, long> _replicas = new Dictionary<string, long>();

    public IReadOnlyDictionary<string, long> Replicas => _replicas;

    /// <summary>When the snapshot was read (UTC), or null before the first read.</summary>
    public DateTimeOffset? ReadAt { get; private set; }

    /// <summary>When the oldest of the reports read was written: reports far apart in time are not comparable.</summary>
    public DateTimeOffset? OldestReport { get; private set; }

    public void Update(IReadOnlyDictionary<string, long> replicas, DateTimeOffset readAt, DateTimeOffset oldestReport)
    {
        _replicas = replicas;
        ReadAt = readAt;
        OldestReport = oldestReport;
    }
}
