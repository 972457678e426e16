using Chat.IngressController.GatewayApi.Models;
using Chat.IngressController.Informers;
using Chat.IngressController.Kubernetes;
using Chat.IngressController.Observability;
using k8s.Models;

namespace Chat.IngressController.GatewayApi;

/// <summary>The Gateway API informers (GatewayClass, Gateway, HTTPRoute, ReferenceGrant, ConnectionPolicy, Namespace).</summary>
public sealed class GatewayApiInformers
{
    private readonly Informer<GatewayClass>? _classes;
    private readonly Informer<V1Namespace>? _namespaces;
    private readonly List<Informer<Gateway>> _gateways = [];
    private readonly List<Informer<HttpRoute>> _routes = [];
    private readonly List<Informer<ReferenceGrant>> _grants = [];
    private readonly List<Informer<ConnectionPolicy>> _policies = [];

    public GatewayApiInformers(KubernetesApi api, bool enabled, IReadOnlyList<string?> namespaces, TimeSpan resync, ControllerMetrics metrics,
        ILogger logger, Action changed)
    {
        if (!enabled)
        {
            return;
        }

        Informer<T> Add<T>(ResourceApi<T> resource)
            where T : k8s.IKubernetesObject<V1ObjectMeta>
        {
            var informer = new Informer<T>(resource, resync, metrics, logger, changed);
            All.Add(informer);
            return informer;
        }

        _classes = Add(api.GatewayClasses());
        _namespaces = Add(api.Namespaces());
        foreach (var ns in namespaces)
        {
            _gateways.Add(Add(api.Gateways(ns)));
            _routes.Add(Add(api.HttpRoutes(ns)));
            _grants.Add(Add(api.ReferenceGrants(ns)));
            _policies.Add(Add(api.ConnectionPolicies(ns)));
        }
    }

    public List<IInformer> All { get; } = [];

    public GatewayApiObjects Snapshot() => new()
    {
        GatewayClasses = _classes?.Items.Values.ToList() ?? [],
        Gateways = _gateways.SelectMany(i => i.Items.Values).ToList(),
        HttpRoutes = _routes.SelectMany(i => i.Items.Values).ToList(),
        ReferenceGrants = _grants.SelectMany(i => i.Items.Values).ToList(),
        Policies = _policies.SelectMany(i => i.Items.Values).ToList(),
        NamespaceLabels = _namespaces?.Items.Values.ToDictionary(n => n.Metadata.Name, n => (IDictionary<string, string>)(n.Metadata.Labels ?? new Dictionary<string, string>()))
            ?? [],
    };
}
