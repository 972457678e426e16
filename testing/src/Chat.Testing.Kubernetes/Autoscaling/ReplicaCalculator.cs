namespace Chat.Testing.Kubernetes.Autoscaling;

/// <summary>A pod as the HPA sees it when it computes CPU utilization.</summary>
public sealed record PodForMetrics(string Name, bool Pending, bool Deleted, bool? Ready, DateTimeOffset StartTime, DateTimeOffset? ReadySince,
    double RequestMillicores, (double Millicores, DateTimeOffset At, TimeSpan Window)? Usage);

/// <summary>
/// The HPA's replica calculator (pkg/controller/podautoscaler/replica_calculator.go): resource utilization with
/// its grouping of pods into ready, unready (not counted while scaling up), missing (assumed at 100 % on scale-down,
/// at 0 on scale-up) and ignored, and the external per-pod (AverageValue) and Value calculations, each with the
/// 10 % tolerance.
/// </summary>
public static class ReplicaCalculator
{
    public const double Tolerance = 0.1;

    /// <summary>--horizontal-pod-autoscaler-cpu-initialization-period.</summary>
    public static readonly TimeSpan CpuInitializationPeriod = TimeSpan.FromMinutes(5);

    /// <summary>--horizontal-pod-autoscaler-initial-readiness-delay.</summary>
    public static readonly TimeSpan InitialReadinessDelay = TimeSpan.FromSeconds(30);

    /// <summary>Resource metric, target type Utilization (percent of requests); null when no pod has a usable metric.</summary>
    public static int? ResourceUtilization(int currentReplicas, int targetUtilization, IReadOnlyList<PodForMetrics> pods, DateTimeOffset now)
    {
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        var requests = new Dictionary<string, double>(StringComparer.Ordinal);
        var unready = new List<string>();
        var missing = new List<string>();
        var readyCount = 0;
        foreach (var pod in pods)
        {
            if (pod.Deleted)
            {
                continue;
            }

            if (pod.RequestMillicores <= 0)
            {
                return null; // "missing request for cpu": the metric is invalid
            }

            requests[pod.Name] = pod.RequestMillicores;
            if (pod.Pending)
            {
                unready.Add(pod.Name);
                continue;
            }

            if (pod.Usage is not { } usage)
            {
                missing.Add(pod.Name);
                continue;
            }

            bool isUnready;
            if (pod.StartTime + CpuInitializationPeriod > now)
            {
                isUnready = pod.Ready != true || pod.ReadySince is null || usage.At < pod.ReadySince.Value + usage.Window;
            }
            else
            {
                isUnready = pod.Ready == false && pod.ReadySince is { } since && pod.StartTime + InitialReadinessDelay > since;
            }

            if (isUnready)
            {
                unready.Add(pod.Name);
                continue;
            }

            metrics[pod.Name] = usage.Millicores;
            readyCount++;
        }

        if (metrics.Count == 0)
        {
            return null;
        }

        var ratio = Ratio(metrics, requests, targetUtilization);
        var scaleUpWithUnready = unready.Count > 0 && ratio > 1.0;
        if (!scaleUpWithUnready && missing.Count == 0)
        {
            return Math.Abs(1.0 - ratio) <= Tolerance ? currentReplicas : (int)Math.Ceiling(ratio * readyCount);
        }

        if (missing.Count > 0)
        {
            foreach (var name in missing)
            {
                metrics[name] = ratio < 1.0 ? requests[name] * Math.Max(100, targetUtilization) / 100.0 : 0;
            }
        }

        if (scaleUpWithUnready)
        {
            foreach (var name in unready)
            {
                metrics[name] = 0;
            }
        }

        var newRatio = Ratio(metrics, requests, targetUtilization);
        if (Math.Abs(1.0 - newRatio) <= Tolerance || (ratio < 1.0 && newRatio > 1.0) || (ratio > 1.0 && newRatio < 1.0))
        {
            return currentReplicas;
        }

        var replicas = (int)Math.Ceiling(newRatio * metrics.Count);
        return (newRatio < 1.0 && replicas > currentReplicas) || (newRatio > 1.0 && replicas < currentReplicas) ? currentReplicas : replicas;
    }

    /// <summary>External metric, target type AverageValue: the total divided by the target, against status.replicas.</summary>
    public static int ExternalAverageValue(int statusReplicas, double targetPerPod, double usage)
    {
        var ratio = usage / (targetPerPod * statusReplicas);
        return Math.Abs(1.0 - ratio) > Tolerance ? (int)Math.Ceiling(usage / targetPerPod) : statusReplicas;
    }

    /// <summary>External metric, target type Value: the ratio to the target times the ready pods.</summary>
    public static int ExternalValue(int currentReplicas, int readyPods, double target, double usage)
    {
        var ratio = usage / target;
        if (currentReplicas == 0)
        {
            return (int)Math.Ceiling(ratio);
        }

        return Math.Abs(1.0 - ratio) <= Tolerance ? currentReplicas : (int)Math.Ceiling(ratio * readyPods);
    }

    private static double Ratio(Dictionary<string, double> metrics, Dictionary<string, double> requests, int targetUtilization)
    {
        var used = metrics.Sum(m => m.Value);
        var requested = metrics.Keys.Sum(k => requests[k]);
        return used * 100.0 / requested / targetUtilization;
    }
}
