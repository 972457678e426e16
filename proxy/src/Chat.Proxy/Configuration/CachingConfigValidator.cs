using System.Runtime.CompilerServices;
using Yarp.ReverseProxy.Configuration;

namespace Chat.Proxy.Configuration;

/// <summary>
/// YARP's validator, remembering the route and cluster instances it accepted. YARP validates every route and cluster
/// on every reload; a provider that hands the unchanged ones back as the same instances (the ingress controller does)
/// pays only for what changed. Configs are immutable and validation depends only on them and on the registered
/// policies, so an accepted instance stays valid; rejections are not cached.
/// </summary>
internal sealed class CachingConfigValidator(IConfigValidator inner) : IConfigValidator
{
    private static readonly IList<Exception> None = Array.Empty<Exception>();
    private readonly ConditionalWeakTable<RouteConfig, object> _routes = [];
    private readonly ConditionalWeakTable<ClusterConfig, object> _clusters = [];

    public async ValueTask<IList<Exception>> ValidateRouteAsync(RouteConfig route)
    {
        if (_routes.TryGetValue(route, out _))
        {
            return None;
        }

        var errors = await inner.ValidateRouteAsync(route);
        if (errors.Count == 0)
        {
            _routes.AddOrUpdate(route, None);
        }

        return errors;
    }

    public async ValueTask<IList<Exception>> ValidateClusterAsync(ClusterConfig cluster)
    {
        if (_clusters.TryGetValue(cluster, out _))
        {
            return None;
        }

        var errors = await inner.ValidateClusterAsync(cluster);
        if (errors.Count == 0)
        {
            _clusters.AddOrUpdate(cluster, None);
        }

        return errors;
    }
}
