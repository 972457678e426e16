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

    // The parts of a snapshot, each rebuilt only when one of its informers changed (so an unchanged part is the same object).
    private readonly DerivedSnapshot<IReadOnlyList<V1IngressClass>> _classList;
    private readonly DerivedSnapshot<IReadOnlyList<V1Ingress>> _ingressList;
    private readonly DerivedSnapshot<IReadOnlyDictionary<string, V1Service>> _serviceMap;
    private readonly DerivedSnapshot<ILookup<string, V1EndpointSlice>> _sliceLookup;
    private readonly DerivedSnapshot<IReadOnlyDictionary<string, V1Secret>> _secretMap;

    public ControllerInformers(KubernetesApi api, IOptions<IngressControllerOptions> options, ControllerMetrics metrics, ILogger<ControllerInformers> logger)
    {
        var o = options.Value;
        var resync = TimeSpan.FromSeconds(o.ResyncSeconds);
        Informer<T> Add<T>(ResourceApi<T> resource, Func<T, string?>? indexKey = null)
            where T : IKubernetesObject<V1ObjectMeta>
        {
            var informer = new Informer<T>(resource, resync, metrics, logger, OnChanged, indexKey);
            _all.Add(informer);
            return informer;
        }

        _classes = Add(api.IngressClasses());
        var namespaces = o.Namespaces.Length == 0 ? [null] : o.Namespaces.Distinct().Select(n => (string?)n).ToArray();
        foreach (var ns in namespaces)
        {
            _ingresses.Add(Add(api.Ingresses(ns)));
            _services.Add(Add(api.Services(ns)));
            _slices.Add(Add(api.EndpointSlices(ns), ServiceOf));
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

        _classList = new(() => _classes.Items.Values.ToList());
        _ingressList = new(() => _ingresses.SelectMany(i => i.Items.Values).ToList());
        _serviceMap = new(() =>
        {
            var services = new Dictionary<string, V1Service>(StringComparer.Ordinal);
            foreach (var informer in _services)
            {
                foreach (var (key, service) in informer.Items)
                {
                    services[key] = service;
                }
            }

            return services;
        });
        _sliceLookup = new(() => new IndexLookup<V1EndpointSlice>(_slices.Select(i => i.Index).ToList()));
        _secretMap = new(() => _secrets.SelectMany(i => i.Items).ToDictionary(kv => kv.Key, kv => kv.Value));

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

    public ClusterState Snapshot(IReadOnlyDictionary<string, DateTimeOffset> drainingSince, DateTimeOffset now) => new()
    {
        IngressClasses = _classList.Get([_classes.Items]),
        Ingresses = _ingressList.Get([.. _ingresses.Select(i => i.Items)]),
        Services = _serviceMap.Get([.. _services.Select(i => i.Items)]),
        EndpointSlices = _sliceLookup.Get([.. _slices.Select(i => i.Index)]),
        Secrets = _secretMap.Get([.. _secrets.Select(i => i.Items)]),
        ConfigMapData = _configMap is not null && _configMapKey is { } mapKey ? _configMap.Items.GetValueOrDefault(mapKey.ToString())?.Data : null,
        DrainingSince = drainingSince,
        Now = now,
    };

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(_all.Select(i => Task.Run(() => i.RunAsync(stoppingToken), stoppingToken)));

    private void OnChanged() => Changed?.Invoke();

    /// <summary>"namespace/service" of an EndpointSlice (label kubernetes.io/service-name), or null.</summary>
    private static string? ServiceOf(V1EndpointSlice slice) =>
        slice.Metadata.Labels?.TryGetValue(ClusterState.ServiceNameLabel, out var service) == true ? slice.Metadata.NamespaceProperty + "/" + service : null;
}
