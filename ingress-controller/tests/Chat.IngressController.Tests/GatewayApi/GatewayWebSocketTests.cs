using Chat.IngressController.GatewayApi.Models;
using Chat.Testing.Kubernetes.FakeApi;
using Chat.IngressController.Tests.Integration;
using Chat.IngressController.Tests.Support;
using Chat.Testing;
using k8s.Models;
using static Chat.IngressController.Tests.Support.Objects;

namespace Chat.IngressController.Tests.GatewayApi;

/// <summary>
/// Long-lived connections through a Gateway and an HTTPRoute, with real chat replicas as the endpoints and the
/// ConnectionPolicy the chat ships: scale-out rebalanced, route changes that close nothing, a removed route drained.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class GatewayWebSocketTests
{
    private const string Ns = "chat";

    [Fact]
    public async Task Scaling_the_endpoints_from_2_to_4_behind_an_HTTPRoute_rebalances_within_1_15_of_the_mean()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var replicas = await ReplicaSet.StartAsync(["r1", "r2"], redis);
        await using var api = await FakeKubeApiServer.StartAsync();
        ApplyChat(api, replicas.All.Select(r => r.Port));
        await using var controller = await ControllerHost.StartReadyAsync(api);
        await RouteAcceptedAsync(api);

        await using var pool = await ScaleOutCheck.From2To4Async(controller, replicas, () => ApplyChat(api, replicas.All.Select(r => r.Port)));
    }

    [Fact]
    public async Task A_hundred_HTTPRoute_changes_close_none_of_200_open_websockets_and_a_removed_route_drains_its_own()
    {
        await using var replicas = await ReplicaSet.StartAsync(["r1", "r2"], redis: null);
        await using var api = await FakeKubeApiServer.StartAsync();
        ApplyChat(api, replicas.All.Select(r => r.Port));
        await using var controller = await ControllerHost.StartReadyAsync(api);
        await RouteAcceptedAsync(api);

        await using var open = await ClientPool.OpenAsync(controller.HttpPort, 200);
        for (var change = 0; change < 100; change++)
        {
            var generation = controller.Applier.Generation;
            var route = ChatRoute();
            route.Spec.Rules!.Add(new HttpRouteRule
            {
                Matches = [new HttpRouteMatch { Path = new HttpPathMatch { Type = "Exact", Value = $"/extra{change}" } }],
                BackendRefs = [new HttpBackendRef { Name = "chat", Port = 80 }],
            });
            api.Apply(route);
            api.Apply(Policy($"{1200 + change}s"));
            Assert.True(await controller.AppliedAfterAsync(generation), $"change {change} applied");
        }

        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.True(open.Ends.IsEmpty, $"{open.Ends.Count} connections ended, e.g. {open.Ends.FirstOrDefault()}");

        // A second route's clients: when it goes, its connections are closed within its drain time; the others stay.
        api.Apply(ChatRoute("chat-hub", "/hub"));
        await RouteAcceptedAsync(api, "chat-hub");
        await using var onHubRoute = await ClientPool.OpenAsync(controller.HttpPort, 10);
        api.Delete(ChatRoute("chat-hub", "/hub"));
        Assert.True(await Eventually.TrueAsync(() => onHubRoute.Ends.Count >= 10, TimeSpan.FromSeconds(15)), "the removed route's connections were drained");
        Assert.True(open.Ends.IsEmpty, $"{open.Ends.Count} connections of the remaining route ended, e.g. {open.Ends.FirstOrDefault()}");
    }

    private static async Task RouteAcceptedAsync(FakeKubeApiServer api, string name = "chat")
    {
        Assert.True(await Eventually.TrueAsync(() => api.Get<HttpRoute>(GatewayApiNames.Group, GatewayApiNames.HttpRoutes, Ns, name)?.Status?.Parents?
            .Any(p => p.Conditions.Any(c => c.Type == Conditions.Accepted && c.Status == "True")) == true, TimeSpan.FromSeconds(20)), $"HTTPRoute {name} accepted");
    }

    private static void ApplyChat(FakeKubeApiServer api, IEnumerable<int> ports)
    {
        api.Apply(Service(ControllerHost.Namespace, ControllerHost.ServiceName, loadBalancerIp: "203.0.113.20"));
        var service = Service(Ns, "chat");
        service.Spec.Ports[0].AppProtocol = GatewayApiNames.WebSocketProtocol;
        api.Apply(service);
        foreach (var slice in Slices(Ns, "chat", ports.Select(p => (p, true, true, false))))
        {
            api.Apply(slice);
        }

        api.Apply(new GatewayClass { ApiVersion = GatewayApiNames.ApiVersion, Kind = "GatewayClass", Metadata = new V1ObjectMeta { Name = "chat" },
            Spec = new GatewayClassSpec { ControllerName = "chat.io/gateway-controller" } });
        api.Apply(new Gateway
        {
            ApiVersion = GatewayApiNames.ApiVersion, Kind = "Gateway",
            Metadata = new V1ObjectMeta { Name = "chat", NamespaceProperty = Ns },
            Spec = new GatewaySpec { GatewayClassName = "chat", Listeners = [new Listener { Name = "http", Port = 80, Protocol = "HTTP" }] },
        });
        api.Apply(ChatRoute());
        api.Apply(Policy("1200s"));
    }

    private static HttpRoute ChatRoute(string name = "chat", string prefix = "/") => new()
    {
        ApiVersion = GatewayApiNames.ApiVersion, Kind = "HTTPRoute",
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = Ns },
        Spec = new HttpRouteSpec
        {
            ParentRefs = [new ParentReference { Name = "chat" }],
            Rules =
            [
                new HttpRouteRule
                {
                    Matches = [new HttpRouteMatch { Path = new HttpPathMatch { Type = "PathPrefix", Value = prefix } }],
                    BackendRefs = [new HttpBackendRef { Name = "chat", Port = 80 }],
                },
            ],
        },
    };

    /// <summary>What k8s/gateway-api ships for chat-ws: cluster-wide least connections from the replicas' reports, 20-minute idle timeouts.</summary>
    private static ConnectionPolicy Policy(string idle) => new()
    {
        ApiVersion = $"{GatewayApiNames.PolicyGroup}/{GatewayApiNames.PolicyVersion}", Kind = GatewayApiNames.PolicyKind,
        Metadata = new V1ObjectMeta { Name = "chat", NamespaceProperty = Ns },
        Spec = new ConnectionPolicySpec
        {
            TargetRefs = [new LocalPolicyTargetReference { Group = "", Kind = "Service", Name = "chat" }],
            Balancing = "LeastConnections",
            IdleTimeout = new IdleTimeouts { Read = idle, Send = idle },
            ReadinessPath = "/readyz",
            DrainTimeout = "2s",
        },
    };
}
