using System.Globalization;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;

namespace Chat.IngressController.Translation;

/// <summary>A YARP cluster for one Ingress backend, with the Ingress's balancing, affinity, timeouts and keep-alive.</summary>
public static class ClusterConfigFactory
{
    public static ClusterConfig Create(string id, BackendSettings settings, IReadOnlyDictionary<string, DestinationConfig> destinations) => new()
    {
        ClusterId = id,
        LoadBalancingPolicy = PolicyNames.ByRequestKind,
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
        // proxy-read-timeout / proxy-send-timeout: idle time without data in either direction, WebSockets included.
        HttpRequest = new ForwarderRequestConfig
        {
            ActivityTimeout = settings.ReadTimeout > settings.SendTimeout ? settings.ReadTimeout : settings.SendTimeout,
        },
        Destinations = destinations,
        Metadata = new Dictionary<string, string>
        {
            [MetadataKeys.WebSocketPolicy] = PolicyNames.For(settings.WebSocketBalance),
            [MetadataKeys.HttpPolicy] = PolicyNames.For(settings.HttpBalance),
            [MetadataKeys.ConnectTimeout] = Seconds(settings.ConnectTimeout),
            [MetadataKeys.KeepaliveTimeout] = Seconds(settings.KeepaliveTimeout),
            [MetadataKeys.KeepaliveTime] = Seconds(settings.KeepaliveTime),
            [MetadataKeys.DrainTimeout] = Seconds(settings.DrainTimeout),
            [MetadataKeys.KeepaliveConnections] = settings.KeepaliveConnections.ToString(CultureInfo.InvariantCulture),
        },
    };

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString(CultureInfo.InvariantCulture);
}
