using Chat.IngressController.GatewayApi;
using Chat.IngressController.GatewayApi.Models;
using Chat.IngressController.GatewayApi.Translation;
using Chat.Testing.Kubernetes.FakeApi;
using Chat.IngressController.Tests.Support;
using Chat.Testing;
using k8s.Models;
using static Chat.IngressController.Tests.Support.Objects;

/// <summary>
/// The Gateway API figures: full reconcile (snapshot, translation of Ingresses and Gateway API, validation, swap) with
/// 1,000 HTTPRoutes, and the delay from an HTTPRoute change written to the API server to the first request routed by it.
/// </summary>
public static class GatewayApiBenchmark
{
    public static async Task RunAsync(int rounds, Action<string, List<double>> report)
    {
        await ReconcileAsync(1000, rounds, report);
        await RouteChangeAsync(rounds, report);
    }

    private static async Task ReconcileAsync(int routes, int rounds, Action<string, List<double>> report)
    {
        await using var api = await FakeKubeApiServer.StartAsync();
        var objects = new List<object>();
        void Add(k8s.IKubernetesObject<V1ObjectMeta> item)
        {
            api.Apply(item);
            objects.Add(item);
        }

        Add(Service(ControllerHost.Namespace, ControllerHost.ServiceName, loadBalancerIp: "203.0.113.30"));
        Add(new GatewayClass { ApiVersion = GatewayApiNames.ApiVersion, Kind = "GatewayClass", Metadata = new V1ObjectMeta { Name = "chat" },
            Spec = new GatewayClassSpec { ControllerName = "chat.io/gateway-controller" } });
        Add(new Gateway { ApiVersion = GatewayApiNames.ApiVersion, Kind = "Gateway", Metadata = new V1ObjectMeta { Name = "gw", NamespaceProperty = "ns0" },
            Spec = new GatewaySpec { GatewayClassName = "chat", Listeners = [new Listener { Name = "http", Port = 80, Protocol = "HTTP",
                AllowedRoutes = new AllowedRoutes { Namespaces = new RouteNamespaces { From = "All" } } }] } });
        for (var i = 0; i < routes; i++)
        {
            var ns = "ns" + (i % 20);
            Add(Service(ns, "svc" + i));
            foreach (var slice in Slices(ns, "svc" + i, [(10000 + i, true, true, false), (20000 + i, true, true, false)]))
            {
                Add(slice);
            }

            Add(Route(ns, "route" + i, $"h{i}.example.com", "svc" + i, 0));
        }

        var state = Chat.IngressController.Translation.ClusterState.From(objects);
        var gatewayObjects = GatewayApiObjects.From(objects);
        var translations = BenchmarkSteps.Time(rounds, () => GatewayTranslator.Translate(new GatewayTranslationInput { Objects = gatewayObjects, Cluster = state }));
        report($"Gateway API translate only, {routes,5} HTTPRoutes", translations);

        var samples = await BenchmarkSteps.ReconcileRoundsAsync(api, rounds, round => api.Apply(Route("ns0", "route0", "h0.example.com", "svc0", round)));
        report($"full reconcile, {routes,5} HTTPRoutes", samples);
    }

    private static async Task RouteChangeAsync(int rounds, Action<string, List<double>> report)
    {
        await using var a = await EchoBackend.StartAsync("a");
        await using var b = await EchoBackend.StartAsync("b");
        await using var api = await FakeKubeApiServer.StartAsync();
        api.Apply(Service(ControllerHost.Namespace, ControllerHost.ServiceName, loadBalancerIp: "203.0.113.31"));
        foreach (var (name, backend) in new[] { ("a", a), ("b", b) })
        {
            api.Apply(Service("web", name));
            api.Apply(Slice("web", name, [(backend.Port, true, true, false)], name + "-1"));
        }

        api.Apply(new GatewayClass { ApiVersion = GatewayApiNames.ApiVersion, Kind = "GatewayClass", Metadata = new V1ObjectMeta { Name = "chat" },
            Spec = new GatewayClassSpec { ControllerName = "chat.io/gateway-controller" } });
        api.Apply(new Gateway { ApiVersion = GatewayApiNames.ApiVersion, Kind = "Gateway", Metadata = new V1ObjectMeta { Name = "gw", NamespaceProperty = "web" },
            Spec = new GatewaySpec { GatewayClassName = "chat", Listeners = [new Listener { Name = "http", Port = 80, Protocol = "HTTP" }] } });
        api.Apply(Route("web", "web", null, "a", 0));
        // Default settings (100 ms debounce), as deployed.
        var samples = await BenchmarkSteps.ChangeToFirstRoutedAsync(api, a, b, rounds, (next, round) => api.Apply(Route("web", "web", null, next.Name, round)));
        report("HTTPRoute change -> first routed request (debounce 100 ms)", samples);
    }

    private static HttpRoute Route(string ns, string name, string? host, string service, int round) => new()
    {
        ApiVersion = GatewayApiNames.ApiVersion, Kind = "HTTPRoute",
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Annotations = new Dictionary<string, string> { ["round"] = round.ToString() } },
        Spec = new HttpRouteSpec
        {
            ParentRefs = [new ParentReference { Name = "gw", Namespace = ns == "web" ? "web" : "ns0" }],
            Hostnames = host is null ? null : [host],
            Rules =
            [
                new HttpRouteRule
                {
                    Matches = [new HttpRouteMatch { Path = new HttpPathMatch { Type = "PathPrefix", Value = "/" } }],
                    BackendRefs = [new HttpBackendRef { Name = service, Port = 80 }],
                    Timeouts = new HttpRouteTimeouts { Request = $"{10 + round}s" },
                },
            ],
        },
    };
}
