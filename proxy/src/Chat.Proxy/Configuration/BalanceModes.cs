using Yarp.ReverseProxy.Configuration;

namespace Chat.Proxy.Configuration;

/// <summary>A cluster's two balancing modes (values of <see cref="ChatProxyMetadata"/>), validated.</summary>
internal sealed record BalanceModes(string Connections, string Requests)
{
    public static readonly string[] ConnectionModes =
        [ChatProxyMetadata.LeastConnections, ChatProxyMetadata.RoundRobin, ChatProxyMetadata.PowerOfTwoChoices];

    public static readonly string[] RequestModes =
        [ChatProxyMetadata.RoundRobin, ChatProxyMetadata.LeastRequests, ChatProxyMetadata.PowerOfTwoChoices];

    public static BalanceModes From(ClusterConfig cluster) => From(cluster.ClusterId, cluster.Metadata);

    public static BalanceModes From(string clusterId, IReadOnlyDictionary<string, string>? metadata)
    {
        var owner = $"Cluster '{clusterId}'";
        return new BalanceModes(
            MetadataReader.OneOf(metadata, ChatProxyMetadata.LoadBalance, owner, ConnectionModes) ?? ChatProxyMetadata.LeastConnections,
            MetadataReader.OneOf(metadata, ChatProxyMetadata.RequestLoadBalance, owner, RequestModes) ?? ChatProxyMetadata.RoundRobin);
    }
}
