using Yarp.ReverseProxy.Configuration;

namespace Chat.Proxy.Configuration;

/// <summary>A route's idle timeouts: its own metadata first, then its cluster's (null = not set).</summary>
internal sealed record RouteTimeouts(TimeSpan? Read, TimeSpan? Send)
{
    public static RouteTimeouts From(RouteConfig route, ClusterConfig? cluster)
    {
        var owner = $"Route '{route.RouteId}'";
        var clusterSettings = cluster is null ? null : ClusterSettings.From(cluster);
        return new RouteTimeouts(
            MetadataReader.Seconds(route.Metadata, ChatProxyMetadata.ReadTimeout, owner) ?? clusterSettings?.ReadTimeout,
            MetadataReader.Seconds(route.Metadata, ChatProxyMetadata.SendTimeout, owner) ?? clusterSettings?.SendTimeout);
    }
}
