using System.Runtime.CompilerServices;
using Yarp.ReverseProxy.Configuration;

namespace Chat.Proxy.Configuration;

/// <summary>
/// Turns <see cref="ChatProxyMetadata"/> keys into YARP settings whenever configuration is loaded (from any
/// provider), without overriding what the YARP configuration sets explicitly. A bad value fails the load with a
/// message naming the cluster or route and the key; on a reload YARP then keeps the previous configuration.
/// Clusters without any chat key are left as they are. The same instance in gives the same instance out (configs are
/// immutable), so a provider that keeps unchanged clusters and routes as they were costs nothing for them on a reload.
/// </summary>
public sealed class ChatProxyConfigFilter : IProxyConfigFilter
{
    private readonly ConditionalWeakTable<ClusterConfig, ClusterConfig> _clusters = [];
    private readonly ConditionalWeakTable<RouteConfig, StrongBox<ClusterConfig?>> _routes = [];

    public ValueTask<ClusterConfig> ConfigureClusterAsync(ClusterConfig cluster, CancellationToken cancel)
    {
        if (_clusters.TryGetValue(cluster, out var known))
        {
            return ValueTask.FromResult(known);
        }

        var configured = Configure(cluster);
        _clusters.AddOrUpdate(cluster, configured);
        return ValueTask.FromResult(configured);
    }

    public ValueTask<RouteConfig> ConfigureRouteAsync(RouteConfig route, ClusterConfig? cluster, CancellationToken cancel)
    {
        // Validation only: the timeouts are applied per request (see Pipeline/ConnectionTrackingMiddleware).
        if (!_routes.TryGetValue(route, out var checkedWith) || !ReferenceEquals(checkedWith.Value, cluster))
        {
            _ = RouteTimeouts.From(route, cluster);
            _routes.AddOrUpdate(route, new StrongBox<ClusterConfig?>(cluster));
        }

        return ValueTask.FromResult(route);
    }

    private static ClusterConfig Configure(ClusterConfig cluster)
    {
        var settings = ClusterSettings.From(cluster);
        if (!settings.Enabled)
        {
            return cluster;
        }

        var healthCheck = cluster.HealthCheck ?? new HealthCheckConfig();
        if (healthCheck.Active is null && settings.ReadinessPath is not null)
        {
            healthCheck = healthCheck with
            {
                Active = new ActiveHealthCheckConfig
                {
                    Enabled = true,
                    Interval = settings.ReadinessInterval,
                    Timeout = settings.ReadinessTimeout,
                    Policy = ChatProxyPolicies.ReadinessHealth,
                    Path = settings.ReadinessPath,
                },
            };
        }

        if (healthCheck.Passive is null && settings.PassiveHealth)
        {
            healthCheck = healthCheck with
            {
                Passive = new PassiveHealthCheckConfig
                {
                    Enabled = true,
                    Policy = ChatProxyPolicies.ConsecutiveFailuresHealth,
                    ReactivationPeriod = settings.PassiveReactivation,
                },
            };
        }

        var httpRequest = cluster.HttpRequest;
        if (settings.ReadTimeout is { } read && httpRequest?.ActivityTimeout is null)
        {
            httpRequest = (httpRequest ?? new Yarp.ReverseProxy.Forwarder.ForwarderRequestConfig()) with { ActivityTimeout = read };
        }

        return cluster with
        {
            LoadBalancingPolicy = cluster.LoadBalancingPolicy ?? ChatProxyPolicies.ByRequestKind,
            HealthCheck = healthCheck,
            HttpRequest = httpRequest,
        };
    }
}
