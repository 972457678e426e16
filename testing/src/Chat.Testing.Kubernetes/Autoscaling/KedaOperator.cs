using System.Globalization;
using Chat.Testing.Kubernetes.Metrics;
using k8s.Models;

namespace Chat.Testing.Kubernetes.Autoscaling;

/// <summary>
/// KEDA for ScaledObjects with prometheus and cpu triggers, as KEDA 2.x behaves: each ScaledObject becomes the HPA
/// <c>keda-hpa-{name}</c> (minReplicas max(minReplicaCount, 1), maxReplicaCount, the advanced behavior, one External
/// metric <c>s{i}-prometheus</c> per Prometheus trigger with target AverageValue = threshold (or Value), a Resource
/// metric per cpu trigger); its metrics server answers the HPA with the query's value, evaluated when asked
/// (no useCachedMetrics). An empty result is 0 (ignoreNullValues, default true) or an error; more than one element
/// is an error; after fallback.failureThreshold errors in a row the metric is the value that makes the HPA ask for
/// fallback.replicas. Activation (activationThreshold, pollingInterval) and cooldownPeriod govern 0 ↔ 1 only, so
/// they matter only when minReplicaCount is 0.
/// </summary>
public sealed class KedaOperator(SeriesStore prometheus, Func<string, string, IScaleTarget?> targets) : IExternalMetrics
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, (KedaScaledObject Object, Dictionary<string, KedaTrigger> Metrics)> _byHpa = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _failures = new(StringComparer.Ordinal);

    /// <summary>Every query evaluated (time, trigger, value or error), for the test's report.</summary>
    public List<string> Log { get; } = [];

    public V2HorizontalPodAutoscaler Adopt(KedaScaledObject scaled)
    {
        var spec = scaled.Spec;
        var metrics = new List<V2MetricSpec>();
        var byName = new Dictionary<string, KedaTrigger>(StringComparer.Ordinal);
        for (var i = 0; i < spec.Triggers.Count; i++)
        {
            var trigger = spec.Triggers[i];
            switch (trigger.Type)
            {
                case "prometheus":
                    PromQl.Validate(trigger.Metadata["query"]);
                    var name = $"s{i}-prometheus";
                    byName[name] = trigger;
                    var threshold = new ResourceQuantity(trigger.Metadata["threshold"]);
                    metrics.Add(new V2MetricSpec
                    {
                        Type = "External",
                        External = new V2ExternalMetricSource
                        {
                            Metric = new V2MetricIdentifier { Name = name },
                            Target = trigger.MetricType == "Value"
                                ? new V2MetricTarget { Type = "Value", Value = threshold }
                                : new V2MetricTarget { Type = "AverageValue", AverageValue = threshold },
                        },
                    });
                    break;
                case "cpu":
                    metrics.Add(new V2MetricSpec
                    {
                        Type = "Resource",
                        Resource = new V2ResourceMetricSource
                        {
                            Name = "cpu",
                            Target = new V2MetricTarget
                            {
                                Type = trigger.MetricType ?? "Utilization",
                                AverageUtilization = int.Parse(trigger.Metadata["value"], CultureInfo.InvariantCulture),
                            },
                        },
                    });
                    break;
                default:
                    throw new NotSupportedException($"ScaledObject {scaled.Metadata.Name}: trigger type {trigger.Type} is not reproduced by the harness");
            }
        }

        var hpa = new V2HorizontalPodAutoscaler
        {
            ApiVersion = "autoscaling/v2",
            Kind = "HorizontalPodAutoscaler",
            Metadata = new V1ObjectMeta
            {
                Name = spec.Advanced?.HorizontalPodAutoscalerConfig?.Name ?? "keda-hpa-" + scaled.Metadata.Name,
                NamespaceProperty = scaled.Metadata.NamespaceProperty,
                Labels = new Dictionary<string, string> { ["scaledobject.keda.sh/name"] = scaled.Metadata.Name },
            },
            Spec = new V2HorizontalPodAutoscalerSpec
            {
                ScaleTargetRef = new V2CrossVersionObjectReference { ApiVersion = "apps/v1", Kind = "Deployment", Name = spec.ScaleTargetRef.Name },
                MinReplicas = Math.Max(spec.MinReplicaCount ?? 0, 1),
                MaxReplicas = spec.MaxReplicaCount ?? 100,
                Metrics = metrics,
                Behavior = spec.Advanced?.HorizontalPodAutoscalerConfig?.Behavior,
            },
        };
        lock (_lock)
        {
            _byHpa[hpa.Metadata.Name] = (scaled, byName);
        }

        return hpa;
    }

    public double? Value(string ns, string hpa, string metric)
    {
        KedaScaledObject scaled;
        KedaTrigger trigger;
        lock (_lock)
        {
            if (!_byHpa.TryGetValue(hpa, out var entry) || !entry.Metrics.TryGetValue(metric, out trigger!))
            {
                return null;
            }

            scaled = entry.Object;
        }

        var key = hpa + "/" + metric;
        var value = Query(trigger, out var error);
        lock (_lock)
        {
            Log.Add($"{DateTimeOffset.UtcNow:HH:mm:ss} {hpa} {metric} = {value?.ToString(CultureInfo.InvariantCulture) ?? "error: " + error}");
            if (value is not null)
            {
                _failures[key] = 0;
                return value;
            }

            var failures = _failures[key] = _failures.GetValueOrDefault(key) + 1;
            if (scaled.Spec.Fallback is { } fallback && failures >= fallback.FailureThreshold && trigger.MetricType != "Value")
            {
                return fallback.Replicas * double.Parse(trigger.Metadata["threshold"], CultureInfo.InvariantCulture);
            }

            return null;
        }
    }

    /// <summary>KEDA's loop for one ScaledObject: activation and cooldown (0 ↔ 1) every pollingInterval.</summary>
    public async Task RunAsync(KedaScaledObject scaled, CancellationToken stop)
    {
        var polling = TimeSpan.FromSeconds(scaled.Spec.PollingInterval ?? 30);
        var cooldown = TimeSpan.FromSeconds(scaled.Spec.CooldownPeriod ?? 300);
        var lastActive = DateTimeOffset.UtcNow;
        using var timer = new PeriodicTimer(polling);
        while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
        {
            if ((scaled.Spec.MinReplicaCount ?? 0) != 0 || targets(scaled.Metadata.NamespaceProperty, scaled.Spec.ScaleTargetRef.Name) is not { } target)
            {
                continue;
            }

            var active = scaled.Spec.Triggers.Where(t => t.Type == "prometheus")
                .Any(t => Query(t, out _) is { } v && v > double.Parse(t.Metadata.GetValueOrDefault("activationThreshold", "0"), CultureInfo.InvariantCulture));
            var now = DateTimeOffset.UtcNow;
            if (active)
            {
                lastActive = now;
                if (target.SpecReplicas == 0)
                {
                    target.Scale(1, $"KEDA {scaled.Metadata.Name}: activated");
                }
            }
            else if (target.SpecReplicas > 0 && now - lastActive >= cooldown)
            {
                target.Scale(0, $"KEDA {scaled.Metadata.Name}: inactive for the cooldown period");
            }
        }
    }

    private double? Query(KedaTrigger trigger, out string? error)
    {
        error = null;
        IReadOnlyList<VectorElement> result;
        try
        {
            result = PromQl.Evaluate(trigger.Metadata["query"], prometheus, DateTimeOffset.UtcNow);
        }
        catch (FormatException e)
        {
            error = e.Message;
            return null;
        }

        var ignoreNull = !trigger.Metadata.TryGetValue("ignoreNullValues", out var flag) || bool.Parse(flag);
        if (result.Count == 0)
        {
            error = "empty result";
            return ignoreNull ? 0 : null;
        }

        if (result.Count > 1)
        {
            error = "prometheus query returned multiple elements";
            return null;
        }

        var value = result[0].Value;
        if (double.IsInfinity(value) || double.IsNaN(value))
        {
            error = "value is " + value;
            return ignoreNull ? 0 : null;
        }

        return value;
    }
}
