using k8s.Models;

namespace Chat.IngressController.Translation;

/// <summary>A consistent snapshot of what the controller watches: the only input of the translation.</summary>
public sealed class ClusterState
{
    public IReadOnlyList<V1IngressClass> IngressClasses { get; init; } = [];
    public IReadOnlyList<V1Ingress> Ingresses { get; init; } = [];

    /// <summary>Services by "namespace/name".</summary>
    public IReadOnlyDictionary<string, V1Service> Services { get; init; } = new Dictionary<string, V1Service>();

    /// <summary>EndpointSlices by "namespace/service name" (label kubernetes.io/service-name).</summary>
    public ILookup<string, V1EndpointSlice> EndpointSlices { get; init; } = Array.Empty<V1EndpointSlice>().ToLookup(_ => "");

    /// <summary>TLS Secrets by "namespace/name".</summary>
    public IReadOnlyDictionary<string, V1Secret> Secrets { get; init; } = new Dictionary<string, V1Secret>();

    /// <summary>Data of the controller's ConfigMap (global defaults), if any.</summary>
    public IDictionary<string, string>? ConfigMapData { get; init; }

    /// <summary>When each draining destination (by address) was first seen terminating; kept by the applier.</summary>
    public IReadOnlyDictionary<string, DateTimeOffset> DrainingSince { get; init; } = new Dictionary<string, DateTimeOffset>();

    public DateTimeOffset Now { get; init; } = DateTimeOffset.UtcNow;

    public const string ServiceNameLabel = "kubernetes.io/service-name";

    /// <summary>Builds a snapshot from loose objects (tests, benchmarks, the informers' caches).</summary>
    public static ClusterState From(IEnumerable<object> objects, IDictionary<string, string>? configMapData = null,
        IReadOnlyDictionary<string, DateTimeOffset>? drainingSince = null, DateTimeOffset? now = null)
    {
        var list = objects.ToList();
        return new ClusterState
        {
            IngressClasses = list.OfType<V1IngressClass>().ToList(),
            Ingresses = list.OfType<V1Ingress>().ToList(),
            Services = list.OfType<V1Service>().ToDictionary(Key),
            EndpointSlices = list.OfType<V1EndpointSlice>()
                .Where(s => s.Metadata.Labels?.ContainsKey(ServiceNameLabel) == true)
                .ToLookup(s => s.Metadata.NamespaceProperty + "/" + s.Metadata.Labels[ServiceNameLabel]),
            Secrets = list.OfType<V1Secret>().ToDictionary(Key),
            ConfigMapData = configMapData,
            DrainingSince = drainingSince ?? new Dictionary<string, DateTimeOffset>(),
            Now = now ?? DateTimeOffset.UtcNow,
        };
    }

    private static string Key(k8s.IKubernetesObject<V1ObjectMeta> o) => o.Metadata.NamespaceProperty + "/" + o.Metadata.Name;
}
