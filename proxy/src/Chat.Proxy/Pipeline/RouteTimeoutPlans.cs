using System.Runtime.CompilerServices;
using Chat.Proxy.Configuration;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace Chat.Proxy.Pipeline;

/// <summary>
/// YARP's activity timeout is a cluster setting; the chat proxy's read/send timeouts are per route. For each route
/// this keeps the cluster model to forward with: for upgrades an activity timeout just above the route's idle
/// timeouts (the <see cref="Timeouts.IdleTimeoutWatchdog"/> enforces each direction), for plain HTTP the route's
/// read timeout when it sets one. Rebuilt when the route or its cluster changes.
/// </summary>
internal sealed class RouteTimeoutPlans(IOptions<ChatProxyOptions> options)
{
    private static readonly TimeSpan Margin = TimeSpan.FromSeconds(5);
    private readonly ConditionalWeakTable<RouteModel, Plan> _plans = new();

    public Plan For(RouteModel route, ClusterModel cluster)
    {
        if (_plans.TryGetValue(route, out var plan) && ReferenceEquals(plan.Source, cluster))
        {
            return plan;
        }

        plan = Build(route, cluster);
        _plans.AddOrUpdate(route, plan);
        return plan;
    }

    private Plan Build(RouteModel route, ClusterModel cluster)
    {
        var timeouts = RouteTimeouts.From(route.Config, cluster.Config);
        var read = timeouts.Read ?? options.Value.DefaultWebSocketIdleTimeout;
        var send = timeouts.Send ?? options.Value.DefaultWebSocketIdleTimeout;
        var request = cluster.Config.HttpRequest ?? ForwarderRequestConfig.Empty;
        var upgrade = new ClusterModel(
            cluster.Config with { HttpRequest = request with { ActivityTimeout = (read > send ? read : send) + Margin } },
            cluster.HttpClient);
        var http = MetadataReader.Seconds(route.Config.Metadata, ChatProxyMetadata.ReadTimeout, route.Config.RouteId) is { } routeRead
            ? new ClusterModel(cluster.Config with { HttpRequest = request with { ActivityTimeout = routeRead } }, cluster.HttpClient)
            : cluster;
        return new Plan(cluster, read, send, upgrade, http);
    }

    internal sealed record Plan(ClusterModel Source, TimeSpan Read, TimeSpan Send, ClusterModel ForUpgrade, ClusterModel ForHttp);
}
