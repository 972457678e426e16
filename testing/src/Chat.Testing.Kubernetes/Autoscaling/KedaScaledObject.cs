using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace Chat.Testing.Kubernetes.Autoscaling;

/// <summary>KEDA's ScaledObject (keda.sh/v1alpha1), the fields the harness acts on.</summary>
public sealed class KedaScaledObject : IKubernetesObject<V1ObjectMeta>
{
    public const string TypeKey = "keda.sh/v1alpha1/ScaledObject";

    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = "keda.sh/v1alpha1";

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "ScaledObject";

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public KedaScaledObjectSpec Spec { get; set; } = new();
}

public sealed class KedaScaledObjectSpec
{
    [JsonPropertyName("scaleTargetRef")]
    public KedaScaleTarget ScaleTargetRef { get; set; } = new();

    /// <summary>Seconds between trigger checks for activation (KEDA default 30).</summary>
    [JsonPropertyName("pollingInterval")]
    public int? PollingInterval { get; set; }

    /// <summary>Seconds after the last active trigger before scaling to zero (KEDA default 300; only with minReplicaCount 0).</summary>
    [JsonPropertyName("cooldownPeriod")]
    public int? CooldownPeriod { get; set; }

    [JsonPropertyName("minReplicaCount")]
    public int? MinReplicaCount { get; set; }

    [JsonPropertyName("maxReplicaCount")]
    public int? MaxReplicaCount { get; set; }

    [JsonPropertyName("fallback")]
    public KedaFallback? Fallback { get; set; }

    [JsonPropertyName("advanced")]
    public KedaAdvanced? Advanced { get; set; }

    [JsonPropertyName("triggers")]
    public List<KedaTrigger> Triggers { get; set; } = [];
}

public sealed class KedaScaleTarget
{
    [JsonPropertyName("apiVersion")]
    public string? ApiVersion { get; set; }

    [JsonPropertyName("kind")]
    public string? Kind { get; set; }

    [JsonPropertyName("name")]
    public string Name { get; set; } = "";
}

public sealed class KedaFallback
{
    [JsonPropertyName("failureThreshold")]
    public int FailureThreshold { get; set; }

    [JsonPropertyName("replicas")]
    public int Replicas { get; set; }
}

public sealed class KedaAdvanced
{
    [JsonPropertyName("horizontalPodAutoscalerConfig")]
    public KedaHpaConfig? HorizontalPodAutoscalerConfig { get; set; }
}

public sealed class KedaHpaConfig
{
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("behavior")]
    public V2HorizontalPodAutoscalerBehavior? Behavior { get; set; }
}

public sealed class KedaTrigger
{
    [JsonPropertyName("type")]
    public string Type { get; set; } = "";

    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("metricType")]
    public string? MetricType { get; set; }

    [JsonPropertyName("metadata")]
    public Dictionary<string, string> Metadata { get; set; } = [];
}
