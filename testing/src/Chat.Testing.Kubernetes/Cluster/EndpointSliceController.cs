using System.Text.Json.Nodes;
using Chat.Testing.Kubernetes.FakeApi;
using k8s;
using k8s.Models;

namespace Chat.Testing.Kubernetes.Cluster;

/// <summary>One endpoint of a Service as kube-proxy and the ingress controller see it.</summary>
public sealed record ServiceEndpoint(string Pod, string Ip, IReadOnlyDictionary<string, int> Ports, bool Ready, bool Serving, bool Terminating);

/// <summary>
/// The EndpointSlice controller: for every Service with a selector, the pods it selects, each with
/// ready (ready and not terminating), serving (ready, whether terminating or not) and terminating conditions and
/// the Service's ports resolved against the pod's container ports (by name or number) to where they are reachable
/// (<see cref="PodNetwork"/>). Pods whose ports resolve differently go to different slices, as upstream does.
/// Written to the API server only when a slice changes.
/// </summary>
public sealed class EndpointSliceController(FakeKubeApiServer api, Func<IReadOnlyList<LocalPod>> pods)
{
    // Per Service ("namespace/name"), its slices as last written (name → JSON). Slices belong to their Service by
    // this key, not by name prefix: the slices of "chat" and "chat-ws" both start with "chat-".
    private readonly Dictionary<string, Dictionary<string, string>> _written = new(StringComparer.Ordinal);

    public IReadOnlyList<ServiceEndpoint> Endpoints(V1Service service) =>
        pods().Where(p => p.Namespace == service.Metadata.NamespaceProperty && !p.Gone && Selects(service, p))
            .Select(p => new ServiceEndpoint(p.Name, p.Ip, Ports(service, p), p.Ready && !p.Terminating, p.Ready, p.Terminating))
            .ToList();

    public void Reconcile(IEnumerable<V1Service> services)
    {
        foreach (var service in services.Where(s => s.Spec.Selector is { Count: > 0 }))
        {
            var ns = service.Metadata.NamespaceProperty;
            var serviceKey = ns + "/" + service.Metadata.Name;
            if (!_written.TryGetValue(serviceKey, out var written))
            {
                _written[serviceKey] = written = new Dictionary<string, string>(StringComparer.Ordinal);
            }

            var groups = Endpoints(service).GroupBy(e => string.Join(',', e.Ports.OrderBy(p => p.Key).Select(p => $"{p.Key}={p.Value}"))).ToList();
            var names = new HashSet<string>(StringComparer.Ordinal);
            var index = 0;
            foreach (var group in groups.DefaultIfEmpty())
            {
                var name = $"{service.Metadata.Name}-{index++}";
                names.Add(name);
                var slice = Slice(service, name, group?.ToList() ?? []);
                var json = KubernetesJson.Serialize(slice);
                if (written.GetValueOrDefault(name) != json)
                {
                    api.Apply(slice);
                    written[name] = json;
                }
            }

            foreach (var stale in written.Keys.Where(name => !names.Contains(name)).ToList())
            {
                api.Delete("EndpointSlice", ns, stale);
                written.Remove(stale);
            }
        }
    }

    private static bool Selects(V1Service service, LocalPod pod)
    {
        var labels = pod.Template.Metadata?.Labels ?? new Dictionary<string, string>();
        return service.Spec.Selector.All(s => labels.TryGetValue(s.Key, out var v) && v == s.Value);
    }

    private static Dictionary<string, int> Ports(V1Service service, LocalPod pod)
    {
        var ports = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var port in service.Spec.Ports ?? [])
        {
            var target = port.TargetPort?.Value ?? port.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var containerPort = int.TryParse(target, out var number)
                ? number
                : pod.Container.Ports?.FirstOrDefault(p => p.Name == target)?.ContainerPort;
            if (containerPort is { } resolved)
            {
                ports[port.Name ?? ""] = pod.HostPort(resolved);
            }
        }

        return ports;
    }

    private static V1EndpointSlice Slice(V1Service service, string name, List<ServiceEndpoint> endpoints) => new()
    {
        ApiVersion = "discovery.k8s.io/v1",
        Kind = "EndpointSlice",
        Metadata = new V1ObjectMeta
        {
            Name = name,
            NamespaceProperty = service.Metadata.NamespaceProperty,
            Labels = new Dictionary<string, string>
            {
                ["kubernetes.io/service-name"] = service.Metadata.Name,
                ["endpointslice.kubernetes.io/managed-by"] = "endpointslice-controller.k8s.io",
            },
        },
        AddressType = "IPv4",
        Ports = endpoints.Count == 0
            ? []
            : endpoints[0].Ports.Select(p => new Discoveryv1EndpointPort { Name = p.Key, Port = p.Value, Protocol = "TCP" }).ToList(),
        Endpoints = endpoints.Select(e => new V1Endpoint
        {
            Addresses = [e.Ip],
            Conditions = new V1EndpointConditions { Ready = e.Ready, Serving = e.Serving, Terminating = e.Terminating },
            TargetRef = new V1ObjectReference { Kind = "Pod", Name = e.Pod, NamespaceProperty = service.Metadata.NamespaceProperty },
            NodeName = "local",
        }).ToList(),
    };
}
