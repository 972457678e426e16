using Chat.Proxy.Affinity;
using Chat.Proxy.Balancing;
using Microsoft.AspNetCore.Http;

namespace Chat.Proxy.Pipeline;

/// <summary>
/// Before load balancing: a SignalR transport request (<c>?id=</c> with a token this proxy saw negotiated) goes to
/// the destination that issued the token, even if that destination is now unready (its connection lives only there).
/// </summary>
internal sealed class ConnectionTokenAffinityMiddleware(RequestDelegate next, ConnectionTokenAffinityStore store)
{
    private static readonly object AffinitizedKey = new();

    public static bool IsAffinitized(HttpContext context) => context.Items.ContainsKey(AffinitizedKey);

    public Task Invoke(HttpContext context)
    {
        var feature = context.GetReverseProxyFeature();
        if (ConnectionRequest.ConnectionToken(context.Request) is { } token
            && store.Find(feature.Cluster.Config.ClusterId, token) is { } destinationId)
        {
            foreach (var destination in feature.AllDestinations)
            {
                if (destination.DestinationId == destinationId)
                {
                    feature.AvailableDestinations = destination;
                    context.Items[AffinitizedKey] = true;
                    break;
                }
            }
        }

        return next(context);
    }
}
