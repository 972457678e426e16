using System.Security.Cryptography;
using System.Text;
using Chat.IngressController.GatewayApi.Models;
using Chat.IngressController.Hosting;
using Chat.IngressController.Kubernetes;
using Chat.IngressController.Status;
using Chat.IngressController.Translation;
using k8s.Models;

namespace Chat.IngressController.GatewayApi.Addresses;

/// <summary>
/// Decides, from the snapshot alone (so every replica agrees), which Gateways share the controller's address and
/// which pod port each listener port of the others is served on. A Gateway's own Service is the record of its
/// ports: a port it already names is kept (its open connections and clients' addresses stay), new listener ports
/// get the lowest free port of the range. Gateways are taken oldest first, so a newcomer never takes a port away.
/// </summary>
public static class GatewayAddressPlanner
{
    /// <summary>Label of the Services this controller keeps for Gateways.</summary>
    public const string ServiceLabel = "chat.io/gateway-service";

    /// <summary>Annotation naming the Gateway ("namespace/name") a Service is for.</summary>
    public const string GatewayAnnotation = "chat.io/gateway";

    public static GatewayAddressPlan Plan(IReadOnlyList<Gateway> gateways, ClusterState cluster, PortRange? range, ObjectKey? publish)
    {
        if (range is null || publish is not { } own)
        {
            return GatewayAddressPlan.AllShared;
        }

        var selector = cluster.Services.GetValueOrDefault(own.ToString())?.Spec?.Selector;
        var existing = cluster.Services.Values
            .Where(s => s.Metadata.NamespaceProperty == own.Namespace && s.Metadata.Labels?.ContainsKey(ServiceLabel) == true
                && s.Metadata.Annotations?.ContainsKey(GatewayAnnotation) == true)
            .GroupBy(s => s.Metadata.Annotations[GatewayAnnotation])
            .ToDictionary(g => g.Key, g => g.OrderBy(s => s.Metadata.Name, StringComparer.Ordinal).First());
        var dedicated = gateways.Where(g => g.Spec.Addresses is not { Count: > 0 }).ToList();
        var taken = new HashSet<int>();
        var podPorts = dedicated.ToDictionary(g => g.Key, _ => new SortedDictionary<int, int>());

        // Ports the Gateways' Services already name stay theirs.
        foreach (var gateway in dedicated)
        {
            var wanted = ListenerPorts(gateway);
            foreach (var port in existing.GetValueOrDefault(gateway.Key)?.Spec?.Ports ?? [])
            {
                if (wanted.ContainsKey(port.Port) && int.TryParse(port.TargetPort?.Value, out var pod) && range.Contains(pod) && taken.Add(pod))
                {
                    podPorts[gateway.Key][port.Port] = pod;
                }
            }
        }

        var free = new Queue<int>(range.Ports.Where(p => !taken.Contains(p)));
        var byGateway = new Dictionary<string, GatewayAddressing>(StringComparer.Ordinal);
        var http = new HashSet<int>();
        var https = new HashSet<int>();
        var services = new List<V1Service>();
        foreach (var gateway in dedicated)
        {
            var assigned = podPorts[gateway.Key];
            string? problem = null;
            foreach (var (listenerPort, _) in ListenerPorts(gateway).Where(p => !assigned.ContainsKey(p.Key)))
            {
                if (!free.TryDequeue(out var pod))
                {
                    problem = $"GatewayPorts {range} has no free port left for listener port {listenerPort}";
                    break;
                }

                assigned[listenerPort] = pod;
            }

            if (selector is not { Count: > 0 })
            {
                problem = $"the controller's Service {own} has no selector to give this Gateway's Service";
                assigned.Clear();
            }

            var service = existing.GetValueOrDefault(gateway.Key);
            var name = service?.Metadata.Name ?? ServiceName(gateway);
            foreach (var (listenerPort, pod) in assigned)
            {
                (ListenerPorts(gateway)[listenerPort] ? https : http).Add(pod);
            }

            if (assigned.Count > 0)
            {
                services.Add(DesiredService(gateway, own.Namespace, name, selector!, assigned));
            }

            byGateway[gateway.Key] = new GatewayAddressing
            {
                Service = own.Namespace + "/" + name,
                PodPorts = assigned,
                Problem = problem,
                Addresses = IngressStatusWriter.AddressesOf(service)
                    .Select(a => new GatewayAddress { Type = a.Ip is null ? "Hostname" : "IPAddress", Value = a.Ip ?? a.Hostname })
                    .ToList(),
            };
        }

        return new GatewayAddressPlan(byGateway, http, https, services);
    }

    /// <summary>The Services of this controller's Gateways that exist now (the leader deletes those not planned).</summary>
    public static IEnumerable<V1Service> ExistingServices(ClusterState cluster, ObjectKey publish) =>
        cluster.Services.Values.Where(s => s.Metadata.NamespaceProperty == publish.Namespace && s.Metadata.Labels?.ContainsKey(ServiceLabel) == true);

    /// <summary>Listener ports of the HTTP and HTTPS listeners → whether the port is HTTPS (the first listener on a port decides).</summary>
    private static Dictionary<int, bool> ListenerPorts(Gateway gateway)
    {
        var ports = new Dictionary<int, bool>();
        foreach (var listener in gateway.Spec.Listeners.Where(l => l.Protocol is "HTTP" or "HTTPS"))
        {
            ports.TryAdd(listener.Port, listener.Protocol == "HTTPS");
        }

        return ports;
    }

    private static V1Service DesiredService(Gateway gateway, string ns, string name, IDictionary<string, string> selector, IReadOnlyDictionary<int, int> ports) => new()
    {
        ApiVersion = "v1",
        Kind = "Service",
        Metadata = new V1ObjectMeta
        {
            Name = name,
            NamespaceProperty = ns,
            Labels = new Dictionary<string, string> { [ServiceLabel] = "true", ["app.kubernetes.io/managed-by"] = "chat-ingress-controller" },
            Annotations = new Dictionary<string, string> { [GatewayAnnotation] = gateway.Key },
        },
        Spec = new V1ServiceSpec
        {
            Type = "LoadBalancer",
            Selector = new Dictionary<string, string>(selector),
            Ports = ports.Select(p => new V1ServicePort
            {
                Name = "port-" + p.Key.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Port = p.Key,
                TargetPort = p.Value,
                Protocol = "TCP",
            }).ToList(),
        },
    };

    /// <summary>"gateway-{namespace}-{name}" cut to fit a Service name (a DNS label), with a hash of the Gateway's key so cut names stay apart.</summary>
    private static string ServiceName(Gateway gateway)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(gateway.Key)))[..8];
        var readable = new string(("gateway-" + gateway.Namespace + "-" + gateway.Name).ToLowerInvariant()
            .Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray());
        return readable[..Math.Min(readable.Length, 63 - 9)].TrimEnd('-') + "-" + hash;
    }
}
