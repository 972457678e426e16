namespace Chat.Testing.Kubernetes.Cluster;

/// <summary>How the harness runs a kustomization.</summary>
public sealed class LocalClusterOptions
{
    /// <summary>The folder `kubectl kustomize` renders (k8s/, or an overlay of it).</summary>
    public required string Kustomization { get; init; }

    /// <summary>--horizontal-pod-autoscaler-sync-period. Default 15 s, as in Kubernetes.</summary>
    public TimeSpan HpaSyncPeriod { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>metrics-server's resolution: how often pod CPU is sampled. Default 15 s.</summary>
    public TimeSpan CpuSamplePeriod { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How often the Deployment and EndpointSlice controllers look at the pods. Default 200 ms.</summary>
    public TimeSpan ControllerPeriod { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Where the pods' logs and the cluster's events are written when the cluster stops; null = a temp folder, removed.</summary>
    public string? ArtifactsDirectory { get; init; }

    /// <summary>Progress lines (pods created, deleted, scaled), e.g. to the test output.</summary>
    public Action<string>? Log { get; init; }
}
