using Yarp.ReverseProxy.Configuration;

namespace Chat.Proxy.Configuration;

/// <summary>
/// Turns <see cref="ChatProxyMetadata"/> keys into YARP settings whenever configuration is loaded (from any
/// provider), without overriding what the YARP configuration sets explicitly. A bad value fails the load with a
/// message naming the cluster or route and the key; on a reload YARP then keeps the previous configuration.
/// Clusters without any chat key are left as they are.
/// </summary>
public sealed class ChatProxyConfigFilter : IProxyConfigFilter
{
    public ValueTask<ClusterConfig> ConfigureClusterAsync(ClusterConfig cluster, CancellationToken cancel)
    {
        var settings = ClusterSettings.From(cluster);
        if (!settings.Enabled)
        {
            return ValueTask.FromResult(cluster);
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

        return ValueTask.FromResult(cluster with
        {
            LoadBalancingPolicy = cluster.LoadBalancingPolicy ?? ChatProxyPolicies.ByRequestKind,
            HealthCheck = healthCheck,
            HttpRequest = httpRequest,
        });
    }

    public ValueTask<RouteConfig> ConfigureRouteAsync(RouteConfig route, ClusterConfig? cluster, CancellationToken cancel)
    {
        // Validation only: the timeouts are applied per request (see Pipeline/ConnectionTrackingMiddleware).
        _ = RouteTimeouts.From(route, cluster);
        return ValueTask.FromResult(route);
    }
}
