using k8s.Models;

namespace Chat.IngressController.Tests.Support;

/// <summary>Kubernetes objects the integration tests put into the fake API server.</summary>
public static class Objects
{
    public static V1IngressClass IngressClass(string name = "chat") => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1IngressClassSpec { Controller = "chat.io/ingress-controller" },
    };

    public static V1Service Service(string ns, string name, int port = 80, string? loadBalancerIp = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
        Spec = new V1ServiceSpec { Ports = [new V1ServicePort { Name = "http", Port = port }], ClusterIPs = ["10.96.0.10"] },
        Status = loadBalancerIp is null ? null : new V1ServiceStatus
        {
            LoadBalancer = new V1LoadBalancerStatus { Ingress = [new V1LoadBalancerIngress { Ip = loadBalancerIp }] },
        },
    };

    /// <summary>An EndpointSlice for a Service; each endpoint is (loopback port, ready, serving, terminating) on 127.0.0.1.</summary>
    public static V1EndpointSlice Slice(string ns, string service, IEnumerable<(int Port, bool Ready, bool Serving, bool Terminating)> endpoints, string? name = null)
    {
        var list = endpoints.ToList();
        // One port per endpoint: loopback processes differ by port, so each gets its own slice port entry via its own slice.
        return new V1EndpointSlice
        {
            Metadata = new V1ObjectMeta
            {
                Name = name ?? service + "-slice",
                NamespaceProperty = ns,
                Labels = new Dictionary<string, string> { ["kubernetes.io/service-name"] = service },
            },
            AddressType = "IPv4",
            Ports = [new Discoveryv1EndpointPort { Name = "http", Port = list.Count > 0 ? list[0].Port : 80, Protocol = "TCP" }],
            Endpoints = list.Select(e => new V1Endpoint
            {
                Addresses = ["127.0.0.1"],
                Conditions = new V1EndpointConditions { Ready = e.Ready, Serving = e.Serving, Terminating = e.Terminating },
            }).ToList(),
        };
    }

    /// <summary>Loopback backends differ by port, so each becomes its own EndpointSlice (as pods on different ports would).</summary>
    public static IEnumerable<V1EndpointSlice> Slices(string ns, string service, IEnumerable<(int Port, bool Ready, bool Serving, bool Terminating)> endpoints) =>
        endpoints.Select(e => Slice(ns, service, [e], $"{service}-{e.Port}"));

    public static V1Ingress Ingress(string ns, string name, string service, string? host = null, IDictionary<string, string>? annotations = null,
        string className = "chat", string path = "/") => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Annotations = annotations },
        Spec = new V1IngressSpec
        {
            IngressClassName = className,
            Rules =
            [
                new V1IngressRule
                {
                    Host = host,
                    Http = new V1HTTPIngressRuleValue
                    {
                        Paths =
                        [
                            new V1HTTPIngressPath
                            {
                                Path = path,
                                PathType = "Prefix",
                                Backend = new V1IngressBackend
                                {
                                    Service = new V1IngressServiceBackend { Name = service, Port = new V1ServiceBackendPort { Number = 80 } },
                                },
                            },
                        ],
                    },
                },
            ],
        },
    };
}
