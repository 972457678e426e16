using Chat.Testing.Kubernetes.Autoscaling;
using Chat.Testing.Kubernetes.Metrics;
using k8s.Models;

namespace Chat.Testing.Kubernetes.Tests;

public sealed class KedaOperatorTests
{
    [Fact]
    public void A_ScaledObject_becomes_an_HPA_with_an_AverageValue_metric_per_prometheus_trigger_and_its_behavior()
    {
        var keda = new KedaOperator(new SeriesStore(), (_, _) => null);

        var hpa = keda.Adopt(Scaled("sum(chat_connections_active) or vector(0)", ignoreNull: null, fallback: null));

        Assert.Equal("keda-hpa-chat-ws", hpa.Metadata.Name);
        Assert.Equal((2, 10), (hpa.Spec.MinReplicas, hpa.Spec.MaxReplicas));
        var external = Assert.Single(hpa.Spec.Metrics, m => m.Type == "External").External;
        Assert.Equal(("s0-prometheus", "AverageValue", 100m), (external.Metric.Name, external.Target.Type, external.Target.AverageValue.ToDecimal()));
        Assert.Equal(70, Assert.Single(hpa.Spec.Metrics, m => m.Type == "Resource").Resource.Target.AverageUtilization);
        Assert.Equal(600, hpa.Spec.Behavior.ScaleDown.StabilizationWindowSeconds);
    }

    [Fact]
    public void No_data_is_0_by_default_an_error_with_ignoreNullValues_false_and_the_fallback_after_the_failure_threshold()
    {
        var lenient = new KedaOperator(new SeriesStore(), (_, _) => null);
        lenient.Adopt(Scaled("sum(chat_connections_active)", ignoreNull: null, fallback: null));
        var strict = new KedaOperator(new SeriesStore(), (_, _) => null);
        strict.Adopt(Scaled("sum(chat_connections_active)", ignoreNull: "false", fallback: new KedaFallback { FailureThreshold = 3, Replicas = 4 }));

        Assert.Equal(0, lenient.Value("chat", "keda-hpa-chat-ws", "s0-prometheus"));
        Assert.Null(strict.Value("chat", "keda-hpa-chat-ws", "s0-prometheus"));
        Assert.Null(strict.Value("chat", "keda-hpa-chat-ws", "s0-prometheus"));
        // The third failure in a row: the value that makes the HPA ask for fallback.replicas (4 × threshold).
        Assert.Equal(400, strict.Value("chat", "keda-hpa-chat-ws", "s0-prometheus"));
    }

    private static KedaScaledObject Scaled(string query, string? ignoreNull, KedaFallback? fallback)
    {
        var metadata = new Dictionary<string, string> { ["serverAddress"] = "http://prometheus.chat.svc:9090", ["query"] = query, ["threshold"] = "100" };
        if (ignoreNull is not null)
        {
            metadata["ignoreNullValues"] = ignoreNull;
        }

        return new KedaScaledObject
        {
            Metadata = new V1ObjectMeta { Name = "chat-ws", NamespaceProperty = "chat" },
            Spec = new KedaScaledObjectSpec
            {
                ScaleTargetRef = new KedaScaleTarget { Name = "chat-ws" },
                MinReplicaCount = 2,
                MaxReplicaCount = 10,
                Fallback = fallback,
                Advanced = new KedaAdvanced
                {
                    HorizontalPodAutoscalerConfig = new KedaHpaConfig
                    {
                        Behavior = new V2HorizontalPodAutoscalerBehavior { ScaleDown = new V2HPAScalingRules { StabilizationWindowSeconds = 600 } },
                    },
                },
                Triggers =
                [
                    new KedaTrigger { Type = "prometheus", MetricType = "AverageValue", Metadata = metadata },
                    new KedaTrigger { Type = "cpu", MetricType = "Utilization", Metadata = new() { ["value"] = "70" } },
                ],
            },
        };
    }
}
