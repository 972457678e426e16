using Chat.Proxy;
using Chat.Proxy.Configuration;
using Yarp.ReverseProxy.Configuration;

namespace Chat.Proxy.Tests;

/// <summary>The metadata keys the ingress controller and the gateway config use, turned into YARP settings.</summary>
public sealed class ProxyConfigurationTests
{
    private readonly ChatProxyConfigFilter _filter = new();

    [Fact]
    public async Task Chat_metadata_turns_into_least_connections_readiness_and_passive_health_checks()
    {
        var cluster = await _filter.ConfigureClusterAsync(new ClusterConfig
        {
            ClusterId = "chat",
            Metadata = new Dictionary<string, string>
            {
                [ChatProxyMetadata.ReadinessPath] = "/readyz",
                [ChatProxyMetadata.ReadinessInterval] = "0.5",
                [ChatProxyMetadata.ReadTimeout] = "90",
            },
        }, CancellationToken.None);

        Assert.Equal(ChatProxyPolicies.ByRequestKind, cluster.LoadBalancingPolicy);
        Assert.Equal(ChatProxyPolicies.ReadinessHealth, cluster.HealthCheck?.Active?.Policy);
        Assert.Equal("/readyz", cluster.HealthCheck?.Active?.Path);
        Assert.Equal(TimeSpan.FromSeconds(0.5), cluster.HealthCheck?.Active?.Interval);
        Assert.True(cluster.HealthCheck?.Passive?.Enabled);
        Assert.Equal(TimeSpan.FromSeconds(90), cluster.HttpRequest?.ActivityTimeout);
    }

    [Fact]
    public async Task Explicit_yarp_settings_win_and_clusters_without_chat_keys_stay_as_they_are()
    {
        var plain = new ClusterConfig { ClusterId = "other" };
        Assert.Same(plain, await _filter.ConfigureClusterAsync(plain, CancellationToken.None));

        var explicitPolicy = await _filter.ConfigureClusterAsync(new ClusterConfig
        {
            ClusterId = "chat",
            LoadBalancingPolicy = "PowerOfTwoChoices",
            Metadata = new Dictionary<string, string> { [ChatProxyMetadata.LoadBalance] = ChatProxyMetadata.RoundRobin },
        }, CancellationToken.None);
        Assert.Equal("PowerOfTwoChoices", explicitPolicy.LoadBalancingPolicy);
    }

    [Theory]
    [InlineData(ChatProxyMetadata.ConnectTimeout, "soon")]
    [InlineData(ChatProxyMetadata.ReadinessPath, "readyz")]
    [InlineData(ChatProxyMetadata.LoadBalance, "ip-hash")]
    [InlineData(ChatProxyMetadata.RequestLoadBalance, "least-connections")]
    [InlineData(ChatProxyMetadata.KeepAliveConnections, "-1")]
    public async Task A_bad_value_is_refused_naming_the_cluster_and_the_key(string key, string value)
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () => await _filter.ConfigureClusterAsync(
            new ClusterConfig { ClusterId = "chat", Metadata = new Dictionary<string, string> { [key] = value } }, CancellationToken.None));
        Assert.Contains("'chat'", error.Message);
        Assert.Contains(key, error.Message);
    }

    [Fact]
    public async Task A_bad_route_timeout_is_refused_naming_the_route()
    {
        var route = new RouteConfig { RouteId = "ws", ClusterId = "chat", Metadata = new Dictionary<string, string> { [ChatProxyMetadata.SendTimeout] = "0" } };
        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () => await _filter.ConfigureRouteAsync(route, null, CancellationToken.None));
        Assert.Contains("'ws'", error.Message);
    }
}
