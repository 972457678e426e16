using Chat.LoadTest.Clients;

namespace Chat.LoadTest.Targets;

/// <summary>What a scenario runs against: an entry point for clients, and, when the tool started it, its replicas.</summary>
public interface ITargetCluster : IEntryPoints, IAsyncDisposable
{
    /// <summary>For the report: "local: redis + 3 chat replicas + gateway" or the target URL.</summary>
    string Description { get; }

    /// <summary>Every address clients connect to (the gateway, or each replica), for generator processes started beside this one.</summary>
    IReadOnlyList<Uri> Entries { get; }

    /// <summary>The replicas the tool knows by name, running or stopped (empty for a remote target).</summary>
    IReadOnlyList<string> KnownReplicas { get; }

    /// <summary>Process control, only when the tool started the cluster itself.</summary>
    ILocalClusterControl? Control { get; }

    /// <summary>Resident memory of a replica's process, when the tool can see it.</summary>
    long? MemoryBytes(string replica);
}

/// <summary>What chaos and scale-out do to a local cluster.</summary>
public interface ILocalClusterControl
{
    IReadOnlyList<string> RunningReplicas { get; }

    /// <summary>Starts one more chat replica and adds it to the gateway; returns its id.</summary>
    Task<string> AddReplicaAsync(CancellationToken cancellationToken);

    /// <summary>SIGKILL: the replica vanishes without a goodbye.</summary>
    Task KillReplicaAsync(string replica);

    /// <summary>SIGTERM, as a pod gets: the replica drains and exits (killed after a bounded wait).</summary>
    Task TerminateReplicaAsync(string replica, CancellationToken cancellationToken);

    /// <summary>Starts a stopped replica again on its port.</summary>
    Task StartReplicaAsync(string replica, CancellationToken cancellationToken);

    /// <summary>Stops redis-server, waits, and starts it again on the same port (empty: no persistence).</summary>
    Task RestartRedisAsync(TimeSpan downtime, CancellationToken cancellationToken);
}
