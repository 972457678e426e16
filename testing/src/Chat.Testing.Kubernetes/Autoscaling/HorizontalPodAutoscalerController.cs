using System.Globalization;
using k8s.Models;

namespace Chat.Testing.Kubernetes.Autoscaling;

/// <summary>
/// The HPA controller (autoscaling/v2): every sync period (15 s, --horizontal-pod-autoscaler-sync-period) each
/// autoscaler computes a proposal per metric (Resource utilization from the pods' CPU against their requests,
/// External AverageValue/Value from <see cref="IExternalMetrics"/>), takes the largest (no scale-down while a
/// metric is invalid), clamps to min/max and applies its behavior (<see cref="ScalingBehavior"/>).
/// </summary>
public sealed class HorizontalPodAutoscalerController(Func<string, string, IScaleTarget?> targets, IExternalMetrics external, TimeSpan syncPeriod)
{
    private readonly Lock _lock = new();
    private readonly List<(V2HorizontalPodAutoscaler Hpa, ScalingBehavior Behavior)> _autoscalers = [];
    private readonly List<ScaleDecision> _decisions = [];

    public IReadOnlyList<ScaleDecision> Decisions
    {
        get
        {
            lock (_lock)
            {
                return _decisions.ToList();
            }
        }
    }

    public IReadOnlyList<V2HorizontalPodAutoscaler> Autoscalers
    {
        get
        {
            lock (_lock)
            {
                return _autoscalers.Select(a => a.Hpa).ToList();
            }
        }
    }

    public void Add(V2HorizontalPodAutoscaler hpa)
    {
        lock (_lock)
        {
            _autoscalers.Add((hpa, new ScalingBehavior(hpa.Spec.Behavior)));
        }
    }

    public async Task RunAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(syncPeriod);
        do
        {
            List<(V2HorizontalPodAutoscaler, ScalingBehavior)> autoscalers;
            lock (_lock)
            {
                autoscalers = _autoscalers.ToList();
            }

            foreach (var (hpa, behavior) in autoscalers)
            {
                Reconcile(hpa, behavior, DateTimeOffset.UtcNow);
            }
        }
        while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false));
    }

    private void Reconcile(V2HorizontalPodAutoscaler hpa, ScalingBehavior behavior, DateTimeOffset now)
    {
        var ns = hpa.Metadata.NamespaceProperty;
        if (targets(ns, hpa.Spec.ScaleTargetRef.Name) is not { } target)
        {
            return;
        }

        var current = target.SpecReplicas;
        var min = hpa.Spec.MinReplicas ?? 1;
        var max = hpa.Spec.MaxReplicas;
        var proposals = new List<string>();
        int desired;
        string reason;
        if (current == 0 && min != 0)
        {
            return; // scaling is disabled
        }

        if (current > max)
        {
            (desired, reason) = (max, "above maxReplicas");
        }
        else if (current < min)
        {
            (desired, reason) = (min, "below minReplicas");
        }
        else
        {
            var best = -1;
            var invalid = 0;
            foreach (var metric in hpa.Spec.Metrics ?? [])
            {
                var proposal = Proposal(hpa, metric, target, current, now);
                proposals.Add($"{Describe(metric)}={proposal?.ToString(CultureInfo.InvariantCulture) ?? "invalid"}");
                if (proposal is null)
                {
                    invalid++;
                }
                else
                {
                    best = Math.Max(best, proposal.Value);
                }
            }

            if (invalid == (hpa.Spec.Metrics?.Count ?? 0) || (invalid > 0 && best < current))
            {
                Record(new ScaleDecision(now, hpa.Metadata.Name, current, proposals, current, "invalid metrics: no change"));
                return;
            }

            (desired, reason) = behavior.Normalize(current, best, min, max, now);
        }

        Record(new ScaleDecision(now, hpa.Metadata.Name, current, proposals, desired, reason));
        if (desired != current)
        {
            behavior.Scaled(current, desired, now);
            target.Scale(desired, $"{hpa.Metadata.Name}: {string.Join(", ", proposals)} → {desired} ({reason})");
        }
    }

    private int? Proposal(V2HorizontalPodAutoscaler hpa, V2MetricSpec metric, IScaleTarget target, int current, DateTimeOffset now)
    {
        switch (metric.Type)
        {
            case "Resource" when metric.Resource is { Name: "cpu", Target: { Type: "Utilization", AverageUtilization: { } utilization } }:
                return ReplicaCalculator.ResourceUtilization(current, utilization, target.MetricPods(now), now);
            case "External" when metric.External is { } externalMetric:
                var value = external.Value(hpa.Metadata.NamespaceProperty, hpa.Metadata.Name, externalMetric.Metric.Name);
                if (value is null)
                {
                    return null;
                }

                return externalMetric.Target.Type switch
                {
                    "AverageValue" => ReplicaCalculator.ExternalAverageValue(target.StatusReplicas, Quantity(externalMetric.Target.AverageValue), value.Value),
                    "Value" => ReplicaCalculator.ExternalValue(current, target.ReadyReplicas, Quantity(externalMetric.Target.Value), value.Value),
                    _ => null,
                };
            default:
                return null;
        }
    }

    private static double Quantity(ResourceQuantity? quantity) => quantity is null ? double.NaN : (double)quantity.ToDecimal();

    private static string Describe(V2MetricSpec metric) => metric.Type == "External" ? metric.External.Metric.Name : metric.Resource?.Name ?? metric.Type;

    private void Record(ScaleDecision decision)
    {
        lock (_lock)
        {
            _decisions.Add(decision);
        }
    }
}
