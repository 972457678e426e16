using System.Diagnostics;
using System.Threading.Channels;
using Chat.IngressController.GatewayApi;
using Chat.IngressController.Hosting;
using Chat.IngressController.Informers;
using Chat.IngressController.Observability;
using Chat.IngressController.Status;
using Chat.IngressController.Translation;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Configuration;

namespace Chat.IngressController.Proxy;

/// <summary>
/// The reconcile loop: after the informers' first full sync, and then after every change (a lone one at once, a
/// burst coalesced to one swap per debounce window), translates the snapshot and swaps the proxy config in process. A swap never touches open connections: proxied WebSockets
/// keep running on the destination they were opened to, whatever the new config says.
/// </summary>
public sealed class ProxyConfigApplier : BackgroundService
{
    private readonly ControllerInformers _informers;
    private readonly InMemoryConfigProvider _proxyConfig;
    private readonly IConfigValidator _validator;
    private readonly IProxyConfigFilter[] _filters;
    private readonly CertificateStore _certificates;
    private readonly IngressStatusWriter _status;
    private readonly ProblemReporter _problems;
    private readonly ControllerMetrics _metrics;
    private readonly GatewayApiReconciler _gatewayApi;
    private readonly IngressControllerOptions _options;
    private readonly ILogger<ProxyConfigApplier> _logger;
    private readonly IngressTranslator _ingressTranslator = new();
    private readonly Channel<bool> _changed = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private Dictionary<string, DateTimeOffset> _drainingSince = [];
    private object? _trackedSlices;

    // What passed validation last time: an unchanged route or cluster (YARP configs compare by value) is not validated
    // again, and goes to YARP as the same instance as before, so that YARP's own filters and validation skip it too.
    private Dictionary<string, ClusterConfig> _validClusters = [];
    private Dictionary<string, RouteConfig> _validRoutes = [];
    private long _generation;

    public ProxyConfigApplier(ControllerInformers informers, InMemoryConfigProvider proxyConfig, IConfigValidator validator,
        IEnumerable<IProxyConfigFilter> filters, CertificateStore certificates, IngressStatusWriter status, ProblemReporter problems, LeaderElection leader,
        GatewayApiReconciler gatewayApi, ControllerMetrics metrics, IOptions<IngressControllerOptions> options, ILogger<ProxyConfigApplier> logger)
    {
        _informers = informers;
        _proxyConfig = proxyConfig;
        _validator = validator;
        _filters = filters.ToArray();
        _certificates = certificates;
        _status = status;
        _problems = problems;
        _metrics = metrics;
        _gatewayApi = gatewayApi;
        _options = options.Value;
        _logger = logger;
        informers.Changed += Signal;
        leader.StartedLeading += Signal;
    }

    /// <summary>True once a config translated from a full sync of every watched kind is serving.</summary>
    public bool Ready { get; private set; }

    /// <summary>Number of configs applied so far.</summary>
    public long Generation => Interlocked.Read(ref _generation);

    /// <summary>How long the last reconcile took (snapshot, translation, validation, swap).</summary>
    public TimeSpan LastReconcileDuration { get; private set; }

    /// <summary>Raised after each config swap, with its generation.</summary>
    public event Action<long>? Applied;

    public void Signal() => _changed.Writer.TryWrite(true);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var debounce = TimeSpan.FromMilliseconds(_options.DebounceMilliseconds);
        var lastReconcile = Stopwatch.GetTimestamp() - (long)(debounce.TotalSeconds * Stopwatch.Frequency);
        try
        {
            while (await _changed.Reader.WaitToReadAsync(stoppingToken))
            {
                if (!_informers.Synced)
                {
                    _changed.Reader.TryRead(out _);
                    continue;
                }

                // A lone change (none applied within the window) goes out at once; within a burst, at most one
                // reconcile per window, taking in everything that arrived meanwhile.
                var sinceLast = Stopwatch.GetElapsedTime(lastReconcile);
                if (sinceLast < debounce)
                {
                    await Task.Delay(debounce - sinceLast, stoppingToken);
                }

                _changed.Reader.TryRead(out _);
                try
                {
                    lastReconcile = Stopwatch.GetTimestamp();
                    var nextExpiry = await ReconcileAsync();
                    if (nextExpiry is { } delay)
                    {
                        _ = Task.Delay(delay, stoppingToken).ContinueWith(_ => Signal(), TaskScheduler.Default);
                    }
                }
                catch (Exception e)
                {
                    // The previous config keeps serving.
                    _logger.LogError(e, "Reconcile failed; the previous proxy config keeps serving");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One translate-and-apply; returns when the next draining endpoint's drain time ends, if any.</summary>
    private async Task<TimeSpan?> ReconcileAsync()
    {
        var watch = Stopwatch.StartNew();
        var now = DateTimeOffset.UtcNow;
        var state = _informers.Snapshot(_drainingSince, now);
        if (!ReferenceEquals(state.EndpointSlices, _trackedSlices))
        {
            // The same slices give the same draining endpoints (their first-seen times are kept).
            _drainingSince = DrainTracker.Track(state, _drainingSince, now);
            _trackedSlices = state.EndpointSlices;
            state = _informers.Snapshot(_drainingSince, now);
        }

        var ingress = _ingressTranslator.Next(state, _options);
        var gateway = _gatewayApi.Translate(state);
        var result = ingress with { Routes = [.. ingress.Routes, .. gateway.Routes], Clusters = [.. ingress.Clusters, .. gateway.Clusters] };
        var problems = result.Problems.ToList();
        var (routes, clusters) = await ValidateAsync(result, problems);
        _proxyConfig.Update(routes, clusters);
        _gatewayApi.Applied(gateway, routes, state);
        problems.AddRange(_certificates.Update(result.Tls, state.Secrets));
        foreach (var message in result.ConfigMapProblems)
        {
            _logger.LogWarning("ConfigMap {ConfigMap}: {Message}", _options.ConfigMap, message);
        }

        _problems.Report(problems);
        _status.Update(result.OwnIngresses, state.Services);
        LastReconcileDuration = watch.Elapsed;
        var generation = Interlocked.Increment(ref _generation);
        _metrics.Reconciled(watch.Elapsed, generation);
        Ready = true;
        _logger.LogDebug("Config {Generation}: {Routes} routes, {Clusters} clusters in {Elapsed} ms", generation, routes.Count, clusters.Count, watch.ElapsedMilliseconds);
        Applied?.Invoke(generation);
        return DrainTracker.NextExpiry(_drainingSince, result, now);
    }

    /// <summary>YARP's validation after the proxy core's config filters (which reject bad metadata values).</summary>
    private async Task<IList<Exception>> ValidateClusterAsync(ClusterConfig cluster)
    {
        try
        {
            var filtered = cluster;
            foreach (var filter in _filters)
            {
                filtered = await filter.ConfigureClusterAsync(filtered, CancellationToken.None);
            }

            return await _validator.ValidateClusterAsync(filtered);
        }
        catch (Exception e)
        {
            return [e];
        }
    }

    /// <summary>Drops the routes and clusters YARP would reject, so one bad Ingress cannot block the whole swap.</summary>
    private async Task<(List<RouteConfig>, List<ClusterConfig>)> ValidateAsync(TranslationResult result, List<IngressProblem> problems)
    {
        Dictionary<string, k8s.Models.V1Ingress>? owners = null; // only needed to name the owner of a refused route or cluster
        Dictionary<string, k8s.Models.V1Ingress> Owners() => owners ??= result.OwnIngresses.ToDictionary(i => i.Metadata.NamespaceProperty + "/" + i.Metadata.Name);
        var clusters = new List<ClusterConfig>(result.Clusters.Count);
        var rejectedClusters = new HashSet<string>(StringComparer.Ordinal);
        var validClusters = new Dictionary<string, ClusterConfig>(StringComparer.Ordinal);
        foreach (var translated in result.Clusters)
        {
            var cluster = translated;
            var unchanged = _validClusters.TryGetValue(cluster.ClusterId, out var known) && (ReferenceEquals(known, cluster) || known.Equals(cluster));
            cluster = unchanged ? known! : cluster;
            var errors = unchanged ? [] : await ValidateClusterAsync(cluster);
            if (errors.Count == 0)
            {
                clusters.Add(cluster);
                validClusters[cluster.ClusterId] = cluster;
                continue;
            }

            rejectedClusters.Add(cluster.ClusterId);
            _logger.LogWarning("Cluster {Cluster} refused: {Errors}", cluster.ClusterId, string.Join("; ", errors.Select(e => e.Message)));
            var ingress = cluster.ClusterId.Split('/') is [var ns, var name, ..] ? ns + "/" + name : "";
            if (Owners().TryGetValue(ingress, out var owner))
            {
                problems.Add(new IngressProblem(owner, "InvalidBackend", string.Join("; ", errors.Select(e => e.Message))));
            }
        }

        var routes = new List<RouteConfig>(result.Routes.Count);
        var validRoutes = new Dictionary<string, RouteConfig>(StringComparer.Ordinal);
        foreach (var translated in result.Routes)
        {
            var route = translated;
            var unchanged = _validRoutes.TryGetValue(route.RouteId, out var known) && (ReferenceEquals(known, route) || known.Equals(route));
            route = unchanged ? known! : route;
            var errors = unchanged || rejectedClusters.Contains(route.ClusterId ?? "") ? [] : await _validator.ValidateRouteAsync(route);
            if (errors.Count > 0)
            {
                _logger.LogWarning("Route {Route} refused: {Errors}", route.RouteId, string.Join("; ", errors.Select(e => e.Message)));
            }

            if (errors.Count == 0 && !rejectedClusters.Contains(route.ClusterId ?? ""))
            {
                routes.Add(route);
                validRoutes[route.RouteId] = route;
            }
            else if (errors.Count > 0 && route.Metadata?.GetValueOrDefault(MetadataKeys.Ingress) is { } source && Owners().TryGetValue(source, out var owner))
            {
                problems.Add(new IngressProblem(owner, "InvalidRule", string.Join("; ", errors.Select(e => e.Message))));
            }
        }

        _validClusters = validClusters;
        _validRoutes = validRoutes;
        return (routes, clusters);
    }
}
