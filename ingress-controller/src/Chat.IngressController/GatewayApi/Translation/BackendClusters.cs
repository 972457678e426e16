using Chat.IngressController.GatewayApi.Models;
using Chat.IngressController.Translation;
using Chat.Proxy;
using k8s.Models;
using Yarp.ReverseProxy.Configuration;
using static Chat.IngressController.GatewayApi.Models.Conditions;

namespace Chat.IngressController.GatewayApi.Translation;

/// <summary>One backendRef after resolution: a Service port with its destinations, or why it cannot be used.</summary>
public sealed record ResolvedBackend(HttpBackendRef Ref, string Namespace, int Weight, string? Problem, string? Reason, bool WebSocket);

/// <summary>
/// Resolves backendRefs (Service kind, ReferenceGrant across namespaces, Service and port exist) and builds one YARP
/// cluster per distinct set of backends and settings, shared by every rule that has the same, so probes and
/// connection counts are per backend set and survive config changes.
/// </summary>
public sealed class BackendClusters(GatewayTranslationInput input, PolicyIndex policies)
{
    /// <summary>Destination metadata: index of the backendRef in its rule (for weights).</summary>
    public const string BackendIndexKey = "Chat.Gateway.Backend";

    private readonly Dictionary<string, ClusterConfig> _clusters = new(StringComparer.Ordinal);

    public IReadOnlyCollection<ClusterConfig> Clusters => _clusters.Values;

    public ResolvedBackend Resolve(HttpRoute route, HttpBackendRef reference)
    {
        var ns = string.IsNullOrEmpty(reference.Namespace) ? route.Namespace : reference.Namespace;
        var weight = reference.Weight ?? 1;
        ResolvedBackend Fail(string reason, string problem) => new(reference, ns, weight, problem, reason, false);
        if ((reference.Group ?? "") != "" || (reference.Kind ?? "Service") != "Service")
        {
            return Fail(Reasons.InvalidKind, $"backendRef {reference.Group}/{reference.Kind} {reference.Name} is not a Service");
        }

        if (!input.Grants.Permits(GatewayApiNames.Group, GatewayApiNames.HttpRouteKind, route.Namespace, "", "Service", ns, reference.Name))
        {
            return Fail(Reasons.RefNotPermitted, $"no ReferenceGrant in {ns} lets HTTPRoutes of {route.Namespace} use Service {reference.Name}");
        }

        if (!input.Cluster.Services.TryGetValue(ns + "/" + reference.Name, out var service))
        {
            return Fail(Reasons.BackendNotFound, $"Service {ns}/{reference.Name} not found");
        }

        if (reference.Port is not { } port)
        {
            return Fail(Reasons.UnsupportedValue, $"backendRef {ns}/{reference.Name} needs a port");
        }

        var servicePort = service.Spec?.Ports?.FirstOrDefault(p => p.Port == port);
        if (servicePort is null && service.Spec?.Type != "ExternalName")
        {
            return Fail(Reasons.BackendNotFound, $"Service {ns}/{reference.Name} has no port {port}");
        }

        var webSocket = servicePort?.AppProtocol is GatewayApiNames.WebSocketProtocol or GatewayApiNames.SecureWebSocketProtocol;
        return new ResolvedBackend(reference, ns, weight, null, null, webSocket);
    }

    /// <summary>The cluster for a rule's backends (null when none is usable); destinations carry their backend index when there are several.</summary>
    public string? ClusterFor(HttpRoute route, IReadOnlyList<ResolvedBackend> backends)
    {
        var usable = backends.Select((b, i) => (Backend: b, Index: i)).Where(x => x.Backend.Problem is null && x.Backend.Weight > 0).ToList();
        if (usable.Count == 0)
        {
            return null;
        }

        var first = usable[0].Backend;
        var settings = policies.SettingsFor(first.Namespace, first.Ref.Name, usable.Any(u => u.Backend.WebSocket), route.Namespace, route.Name, input.DefaultDrain);
        var indexed = backends.Count > 1;
        var destinations = new Dictionary<string, DestinationConfig>(StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var (backend, index) in usable)
        {
            var resolved = BackendResolver.Resolve(input.Cluster, backend.Namespace,
                new V1IngressServiceBackend { Name = backend.Ref.Name, Port = new V1ServiceBackendPort { Number = backend.Ref.Port } }, settings.Drain, problems);
            foreach (var (key, destination) in resolved)
            {
                if (!indexed)
                {
                    destinations[key] = destination;
                    continue;
                }

                var metadata = new Dictionary<string, string>(destination.Metadata ?? new Dictionary<string, string>())
                {
                    [BackendIndexKey] = index.ToString(System.Globalization.CultureInfo.InvariantCulture),
                };
                destinations[$"b{index}/{key}"] = destination with { Metadata = metadata };
            }
        }

        var baseId = "gateway/" + string.Join("+", backends.Select(b => $"{b.Namespace}/{b.Ref.Name}:{b.Ref.Port}" + (indexed ? $"*{b.Weight}{(b.Problem is null ? "" : "!")}" : "")));
        var cluster = new ClusterConfig { ClusterId = baseId, Destinations = destinations, Metadata = settings.ToMetadata() };
        for (var n = 1; ; n++)
        {
            var id = n == 1 ? baseId : $"{baseId}#{n}";
            if (!_clusters.TryGetValue(id, out var existing))
            {
                _clusters[id] = cluster with { ClusterId = id };
                return id;
            }

            if (existing.Equals(cluster with { ClusterId = id }))
            {
                return id;
            }
        }
    }
}
