using Chat.IngressController.GatewayApi;
using Chat.IngressController.Hosting;
using Chat.IngressController.Kubernetes;
using Chat.IngressController.Observability;
using Chat.IngressController.Translation;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Options;

namespace Chat.IngressController.Informers;

/// <summary>
/// All informers of the controller (one per kind and watched namespace) and the snapshot they make together.
/// <see cref="Changed"/> fires on every change; the applier debounces.
/// </summary>
public sealed class ControllerInformers : BackgroundService
{
    private readonly List<IInformer> _all = [];
    private readonly Informer<V1IngressClass> _classes;
    private readonly List<Informer<V1Ingress>> _ingresses = [];
    private readonly List<Informer<V1Service>> _services = [];
    private readonly List<Informer<V1EndpointSlice>> _slices = [];
    private readonly List<Informer<V1Secret>> _secrets = [];
    private readonly Informer<V1ConfigMap>? _configMap;
    private readonly ObjectKey? _configMapKey;

    public ControllerInformers(KubernetesApi api, IOptions<IngressControllerOptions> options, ControllerMetrics metrics, ILogger<ControllerInformers> logger)
    {
        var o = options.Value;
        var resync = TimeSpan.FromSeconds(o.ResyncSeconds);
        Informer<T> Add<T>(ResourceApi<T> resource)
            where T : IKubernetesObject<V1ObjectMeta>
        {
            var informer = new Informer<T>(resource, resync, metrics, logger, OnChanged);
            _all.Add(informer);
            return informer;
        }

        _classes = Add(api.IngressClasses());
        var namespaces = o.Namespaces.Length == 0 ? [null] : o.Namespaces.Distinct().Select(n => (string?)n).ToArray();
        foreach (var ns in namespaces)
        {
            _ingresses.Add(Add(api.Ingresses(ns)));
            _services.Add(Add(api.Services(ns)));
            _slices.Add(Add(api.EndpointSlices(ns)));
            _secrets.Add(Add(api.TlsSecrets(ns)));
        }

        // The controller's own Service, for Ingress status, when its namespace is not watched anyway (with the
        // Gateways' own Services beside it when GatewayPorts is set).
        if (ObjectKey.TryParse(o.PublishService, o.LeaseNamespace) is { } publish && namespaces[0] is not null && !namespaces.Contains(publish.Namespace))
        {
            _services.Add(Add(api.Services(publish.Namespace, string.IsNullOrEmpty(o.GatewayPorts) ? KubernetesApi.NameSelector(publish.Name) : null)));
        }

        GatewayApi = new GatewayApiInformers(api, o.GatewayApi, namespaces, resync, metrics, logger, OnChanged);
        _all.AddRange(GatewayApi.All);

        _configMapKey = ObjectKey.TryParse(o.ConfigMap, o.LeaseNamespace);
        if (_configMapKey is { } key)
        {
            _configMap = Add(api.ConfigMap(key));
        }
    }

    /// <summary>The Gateway API informers (none when IngressController:GatewayApi is false).</summary>
    public GatewayApiInformers GatewayApi { get; }

    /// <summary>Raised (on an informer's thread) whenever any watched object changes.</summary>
    public event Action? Changed;

    /// <summary>True once every informer has listed once.</summary>
    public bool Synced => _all.All(i => i.Synced);

    public ClusterState Snapshot(IReadOnlyDictionary<string, DateTimeOffset> drainingSince, DateTimeOffset now)
    {
        var services = new Dictionary<string, V1Service>(StringComparer.Ordinal);
        foreach (var informer in _services)
        {
            foreach (var (key, service) in informer.Items)
            {
                services[key] = service;
            }
        }

        return new ClusterState
        {
            IngressClasses = _classes.Items.Values.ToList(),
            Ingresses = _ingresses.SelectMany(i => i.Items.Values).ToList(),
            Services = services,
            EndpointSlices = _slices.SelectMany(i => i.Items.Values)
                .Where(s => s.Metadata.Labels?.ContainsKey(ClusterState.ServiceNameLabel) == true)
                .ToLookup(s => s.Metadata.NamespaceProperty + "/" + s.Metadata.Labels[ClusterState.ServiceNameLabel]),
            Secrets = _secrets.SelectMany(i => i.Items).ToDictionary(kv => kv.Key, kv => kv.Value),
            ConfigMapData = _configMap is not null && _configMapKey is { } mapKey ? _configMap.Items.GetValueOrDefault(mapKey.ToString())?.Data : null,
            DrainingSince = drainingSince,
            Now = now,
        };
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(_all.Select(i => Task.Run(() => i.RunAsync(stoppingToken), stoppingToken)));

    private void OnChanged() => Changed?.Invoke();
}
