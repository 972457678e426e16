using System.Collections.Concurrent;

namespace Chat.Testing.Kubernetes.Cluster;

/// <summary>One thing that happened in the cluster (pod created, deleted, ready, scaled), with its time.</summary>
public sealed record ClusterEvent(DateTimeOffset At, string Kind, string Subject, string Message)
{
    public override string ToString() => $"{At:HH:mm:ss.f} {Kind,-10} {Subject}: {Message}";
}

/// <summary>The cluster's event log, for the tests' assertions and reports.</summary>
public sealed class ClusterEvents
{
    private readonly ConcurrentQueue<ClusterEvent> _events = new();

    public event Action<ClusterEvent>? Added;

    public IReadOnlyList<ClusterEvent> All => _events.ToArray();

    public void Add(string kind, string subject, string message)
    {
        var e = new ClusterEvent(DateTimeOffset.UtcNow, kind, subject, message);
        _events.Enqueue(e);
        Added?.Invoke(e);
    }

    public IReadOnlyList<ClusterEvent> Since(DateTimeOffset at, string? kind = null) =>
        _events.Where(e => e.At >= at && (kind is null || e.Kind == kind)).ToList();
}
