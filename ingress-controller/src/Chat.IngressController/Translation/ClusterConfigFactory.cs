using System.Globalization;
using Chat.Proxy;
using Yarp.ReverseProxy.Configuration;

namespace Chat.IngressController.Translation;

/// <summary>
/// A YARP cluster for one Ingress backend: balancing, affinity, timeouts, keep-alive and readiness probing, as
/// metadata of the proxy core (<see cref="ChatProxyMetadata"/>) plus this controller's own keys.
/// </summary>
public static class ClusterConfigFactory
{
    public static ClusterConfig Create(string id, BackendSettings settings, IReadOnlyDictionary<string, DestinationConfig> destinations)
    {
        var metadata = new Dictionary<string, string>
        {
            [ChatProxyMetadata.LoadBalance] = BalanceModeNames.ForConnections(settings.WebSocketBalance),
            [ChatProxyMetadata.RequestLoadBalance] = BalanceModeNames.ForRequests(settings.HttpBalance),
            [MetadataKeys.DrainTimeout] = Seconds(settings.DrainTimeout),
            [ChatProxyMetadata.ReadTimeout] = Seconds(settings.ReadTimeout),
            [ChatProxyMetadata.SendTimeout] = Seconds(settings.SendTimeout),
            [ChatProxyMetadata.ConnectTimeout] = Seconds(settings.ConnectTimeout),
            [ChatProxyMetadata.KeepAliveTimeout] = Seconds(settings.KeepaliveTimeout),
        };
        if (settings.KeepaliveConnections > 0)
        {
            metadata[ChatProxyMetadata.KeepAliveConnections] = settings.KeepaliveConnections.ToString(CultureInfo.InvariantCulture);
        }

        if (settings.ReadinessPath is { } readiness)
        {
            metadata[ChatProxyMetadata.ReadinessPath] = readiness;
        }

        return new ClusterConfig
        {
            ClusterId = id,
            SessionAffinity = settings.AffinityCookie is null ? null : new SessionAffinityConfig
            {
                Enabled = true,
                // Hash of the destination id: the same on every controller replica, no shared keys needed.
                Policy = "HashCookie",
                AffinityKeyName = settings.AffinityCookie,
                Cookie = new SessionAffinityCookieConfig
                {
                    Path = settings.SessionCookiePath,
                    MaxAge = settings.SessionCookieMaxAge,
                    HttpOnly = true,
                },
            },
            Destinations = destinations,
            Metadata = metadata,
        };
    }

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString(CultureInfo.InvariantCulture);
}
