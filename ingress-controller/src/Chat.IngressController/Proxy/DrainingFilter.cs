using Chat.IngressController.Translation;
using Yarp.ReverseProxy.Model;

namespace Chat.IngressController.Proxy;

/// <summary>
/// Proxy pipeline step between session affinity and load balancing: draining (serving but terminating) endpoints
/// get no new connections. A request that affinity already bound to one endpoint keeps it, and when only draining
/// endpoints are left they are still used (like kube-proxy's terminating-endpoint fallback) rather than failing.
/// </summary>
public static class DrainingFilter
{
    public static Task InvokeAsync(HttpContext context, Func<Task> next)
    {
        var proxy = context.GetReverseProxyFeature();
        var available = proxy.AvailableDestinations;
        if (available.Count > 1)
        {
            List<DestinationState>? ready = null;
            foreach (var destination in available)
            {
                if (!IsDraining(destination))
                {
                    (ready ??= new List<DestinationState>(available.Count)).Add(destination);
                }
            }

            if (ready is not null && ready.Count < available.Count)
            {
                proxy.AvailableDestinations = ready;
            }
        }

        return next();
    }

    public static bool IsDraining(DestinationState destination) =>
        destination.Model.Config.Metadata?.ContainsKey(MetadataKeys.Draining) == true;
}
