using Chat.IngressController.GatewayApi.Models;
using Chat.IngressController.Tests.GatewayApi;
using Chat.IngressController.Tests.Integration;
using Chat.IngressController.Tests.Support;
using Chat.Proxy;
using Chat.Testing;
using Chat.Testing.Kubernetes.FakeApi;
using Microsoft.Extensions.DependencyInjection;
using Yarp.ReverseProxy.Configuration;
using static Chat.IngressController.Tests.Support.Objects;

namespace Chat.IngressController.Tests.Ingress2Gateway;

/// <summary>
/// The reference Ingress converted and applied (as `kubectl -n chat apply`) with the controller running: the chat's
/// SignalR clients reach the replicas through the Gateway for host homedev, with the Ingress path's balancing (cluster-wide
/// least connections, scale-out rebalanced as ScaleOutCheck demands of both paths) and its idle timeouts.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class ConvertedReferenceTests
{
    private const string Ns = "chat";

    [Fact]
    public async Task The_converted_reference_ingress_routes_the_chat_through_the_gateway_with_least_connections_and_idle_timeouts()
    {
        var converted = await Converter.ConvertAsync(Converter.Reference);
        Assert.Equal(0, converted.ExitCode);
        await using var redis = await RedisServer.StartAsync();
        await using var replicas = await ReplicaSet.StartAsync(["r1", "r2"], redis);
        await using var api = await FakeKubeApiServer.StartAsync();
        api.Apply(Service(ControllerHost.Namespace, ControllerHost.ServiceName, loadBalancerIp: "203.0.113.30"));
        foreach (var item in Manifests.Load(File.ReadAllText(Path.Combine(RepoPaths.Root, "k8s", "gateway-api", "gatewayclass.yaml"))))
        {
            api.Apply(item);
        }

        ApplyEndpoints(api, replicas);
        foreach (var item in converted.Objects)
        {
            item.Metadata.NamespaceProperty = Ns;
            api.Apply(item);
        }

        await using var controller = await ControllerHost.StartReadyAsync(api);
        Assert.True(await Eventually.TrueAsync(() => Accepted(api.Get<HttpRoute>(GatewayApiNames.Group, GatewayApiNames.HttpRoutes, Ns, "chat")?.Status?.Parents?.Select(p => p.Conditions))
            && Accepted(api.Get<ConnectionPolicy>(GatewayApiNames.PolicyGroup, GatewayApiNames.Policies, Ns, "chat")?.Status?.Ancestors?.Select(a => a.Conditions)),
            TimeSpan.FromSeconds(20)), "the converted HTTPRoute and ConnectionPolicy are accepted");

        // Idle timeouts as idle timeouts, least connections for upgrades and least requests for the rest, on both backends.
        var provider = controller.Services.GetRequiredService<InMemoryConfigProvider>();
        Assert.True(await Eventually.TrueAsync(() => provider.GetConfig().Clusters.Count(c => c.ClusterId.StartsWith($"gateway/{Ns}/", StringComparison.Ordinal)) == 2,
            TimeSpan.FromSeconds(20)), "both backends' clusters applied");
        var clusters = provider.GetConfig().Clusters;
        foreach (var service in new[] { "chat-ws", "chat" })
        {
            var metadata = Assert.Single(clusters, c => c.ClusterId == $"gateway/{Ns}/{service}:8000").Metadata!;
            Assert.Equal((ChatProxyMetadata.LeastConnections, ChatProxyMetadata.LeastRequests), (metadata[ChatProxyMetadata.LoadBalance], metadata[ChatProxyMetadata.RequestLoadBalance]));
            Assert.Equal(("1200", "1200"), (metadata[ChatProxyMetadata.ReadTimeout], metadata[ChatProxyMetadata.SendTimeout]));
            Assert.Equal("/readyz", metadata[ChatProxyMetadata.ReadinessPath]);
        }

        // The page (path /, Service chat) for host homedev, and nothing for another host.
        using var http = new HttpClient { BaseAddress = controller.Http };
        Assert.True(await Eventually.TrueAsync(async () =>
        {
            using var page = new HttpRequestMessage(HttpMethod.Get, "/") { Headers = { Host = "homedev" } };
            using var served = await http.SendAsync(page);
            return served.StatusCode == System.Net.HttpStatusCode.OK && served.Headers.Contains("X-Chat-Replica");
        }, TimeSpan.FromSeconds(20)), "the page for homedev is served by a replica");
        using var other = new HttpRequestMessage(HttpMethod.Get, "/") { Headers = { Host = "elsewhere" } };
        using var notServed = await http.SendAsync(other);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, notServed.StatusCode);

        // SignalR on /hub (Service chat-ws): balanced over 2 replicas, then rebalanced when 2 more join.
        await using var pool = await ScaleOutCheck.From2To4Async(controller, replicas, () => ApplyEndpoints(api, replicas), host: "homedev");
    }

    private static bool Accepted(IEnumerable<IList<k8s.Models.V1Condition>>? conditions) =>
        conditions?.ToList() is { Count: > 0 } all && all.All(c => c.Any(x => x.Type == Conditions.Accepted && x.Status == "True"));

    /// <summary>The replicas as the endpoints of both reference Services, chat-ws and chat (port 8000).</summary>
    private static void ApplyEndpoints(FakeKubeApiServer api, ReplicaSet replicas)
    {
        foreach (var service in new[] { "chat-ws", "chat" })
        {
            api.Apply(Service(Ns, service, port: 8000));
            foreach (var slice in Slices(Ns, service, replicas.All.Select(r => (r.Port, true, true, false))))
            {
                api.Apply(slice);
            }
        }
    }
}
