using Chat.Proxy.Balancing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.LoadBalancing;
using Yarp.ReverseProxy.Model;

namespace Chat.Proxy.Tests;

public sealed class ByRequestKindPolicyTests
{
    private readonly ServiceProvider _services;
    private readonly ILoadBalancingPolicy _policy;
    private readonly DestinationLoadTracker _loads;

    public ByRequestKindPolicyTests()
    {
        var services = new ServiceCollection();
        services.AddChatProxy();
        _services = services.BuildServiceProvider();
        _policy = _services.GetServices<ILoadBalancingPolicy>().Single(p => p.Name == ChatProxyPolicies.ByRequestKind);
        _loads = _services.GetRequiredService<DestinationLoadTracker>();
    }

    [Fact]
    public void Websockets_go_to_the_destination_with_the_fewest_reported_connections()
    {
        var (cluster, destinations) = Cluster(new Dictionary<string, string>());
        _loads.Report(destinations[0], 30);
        _loads.Report(destinations[1], 10);
        _loads.Report(destinations[2], 20);
        for (var i = 0; i < 5; i++)
        {
            Assert.Same(destinations[1], _policy.PickDestination(WebSocket(), cluster, destinations));
        }
    }

    [Fact]
    public void Plain_requests_rotate_by_default()
    {
        var (cluster, destinations) = Cluster(new Dictionary<string, string>());
        _loads.Report(destinations[0], 0);
        var picked = Enumerable.Range(0, 6).Select(_ => _policy.PickDestination(Plain(), cluster, destinations)!.DestinationId).ToList();
        Assert.Equal(3, picked.Distinct().Count());
        Assert.Equal(picked.Take(3), picked.Skip(3));
    }

    [Fact]
    public void Round_robin_for_connections_ignores_the_reports()
    {
        var (cluster, destinations) = Cluster(new Dictionary<string, string> { [ChatProxyMetadata.LoadBalance] = ChatProxyMetadata.RoundRobin });
        _loads.Report(destinations[0], 1000);
        var picked = Enumerable.Range(0, 3).Select(_ => _policy.PickDestination(WebSocket(), cluster, destinations)!.DestinationId);
        Assert.Equal(3, picked.Distinct().Count());
    }

    [Fact]
    public void Draining_destinations_get_nothing_new_unless_nothing_else_is_left()
    {
        var (cluster, destinations) = Cluster(new Dictionary<string, string>(), drainingIndex: 0);
        _loads.Report(destinations[0], 0);
        _loads.Report(destinations[1], 50);
        _loads.Report(destinations[2], 60);
        Assert.Same(destinations[1], _policy.PickDestination(WebSocket(), cluster, destinations));
        Assert.All(Enumerable.Range(0, 6), _ => Assert.NotSame(destinations[0], _policy.PickDestination(Plain(), cluster, destinations)));
        Assert.Same(destinations[0], _policy.PickDestination(WebSocket(), cluster, [destinations[0]]));
    }

    private static (ClusterState Cluster, IReadOnlyList<DestinationState> Destinations) Cluster(Dictionary<string, string> metadata, int drainingIndex = -1)
    {
        var cluster = new ClusterState(
            "chat",
            new ClusterModel(new ClusterConfig { ClusterId = "chat", Metadata = metadata }, new HttpMessageInvoker(new HttpClientHandler())));
        var destinations = Enumerable.Range(0, 3).Select(i => new DestinationState("d" + i, new DestinationModel(new DestinationConfig
        {
            Address = $"http://127.0.0.1:{5000 + i}",
            Metadata = i == drainingIndex ? new Dictionary<string, string> { [ChatProxyMetadata.Draining] = "true" } : null,
        }))).ToArray();
        return (cluster, destinations);
    }

    private static HttpContext WebSocket()
    {
        var context = ConnectionRequestTests.Request("GET", "/ws");
        context.Features.Set<IHttpUpgradeFeature>(new ConnectionRequestTests.Upgradable());
        context.Request.Headers.Upgrade = "websocket";
        return context;
    }

    private static HttpContext Plain() => ConnectionRequestTests.Request("GET", "/");
}
