namespace Chat.Testing.Kubernetes.Autoscaling;

/// <summary>What an autoscaler scales (a Deployment's scale subresource) and reads about its pods.</summary>
public interface IScaleTarget
{
    string Namespace { get; }

    string Name { get; }

    /// <summary>spec.replicas.</summary>
    int SpecReplicas { get; }

    /// <summary>status.replicas: pods of the Deployment that are not terminating.</summary>
    int StatusReplicas { get; }

    int ReadyReplicas { get; }

    IReadOnlyList<PodForMetrics> MetricPods(DateTimeOffset now);

    void Scale(int replicas, string why);
}

/// <summary>Values of External metrics (what KEDA's metrics server answers); null when the metric cannot be read.</summary>
public interface IExternalMetrics
{
    double? Value(string ns, string hpa, string metric);
}

/// <summary>One decision of an HPA sync, for the test's report.</summary>
public sealed record ScaleDecision(DateTimeOffset At, string Autoscaler, int Current, IReadOnlyList<string> Proposals, int Desired, string Reason);
