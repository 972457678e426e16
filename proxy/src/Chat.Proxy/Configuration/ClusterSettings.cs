using System.Runtime.CompilerServices;
using Yarp.ReverseProxy.Configuration;

namespace Chat.Proxy.Configuration;

/// <summary>
/// A cluster's chat settings read from its metadata (validated: a bad value throws). A metadata dictionary is read
/// once: the client factory, the config filter, the route timeouts and the affinity transform all ask for the
/// settings of every cluster on every reload, and configs (their metadata too) are immutable.
/// </summary>
internal sealed record ClusterSettings(
    bool Enabled,
    BalanceModes Balance,
    string? ReadinessPath,
    TimeSpan ReadinessInterval,
    TimeSpan ReadinessTimeout,
    bool PassiveHealth,
    TimeSpan PassiveReactivation,
    TimeSpan ConnectTimeout,
    TimeSpan KeepAliveTimeout,
    int? KeepAliveConnections,
    bool ConnectionTokenAffinity,
    TimeSpan? ReadTimeout,
    TimeSpan? SendTimeout)
{
    public static ClusterSettings From(ClusterConfig cluster) => From(cluster.ClusterId, cluster.Metadata);

    private static readonly ConditionalWeakTable<IReadOnlyDictionary<string, string>, ClusterSettings> Read = [];

    public static ClusterSettings From(string clusterId, IReadOnlyDictionary<string, string>? metadata)
    {
        if (metadata is null)
        {
            return Parse(clusterId, null);
        }

        if (Read.TryGetValue(metadata, out var known))
        {
            return known;
        }

        // The cluster's name appears only in the error of a bad value, which is thrown, not kept.
        var settings = Parse(clusterId, metadata);
        Read.AddOrUpdate(metadata, settings);
        return settings;
    }

    private static ClusterSettings Parse(string clusterId, IReadOnlyDictionary<string, string>? metadata)
    {
        var owner = $"Cluster '{clusterId}'";
        return new ClusterSettings(
            Enabled: MetadataReader.HasChatKeys(metadata),
            Balance: BalanceModes.From(clusterId, metadata),
            ReadinessPath: MetadataReader.Path(metadata, ChatProxyMetadata.ReadinessPath, owner),
            ReadinessInterval: MetadataReader.Seconds(metadata, ChatProxyMetadata.ReadinessInterval, owner) ?? TimeSpan.FromSeconds(1),
            ReadinessTimeout: MetadataReader.Seconds(metadata, ChatProxyMetadata.ReadinessTimeout, owner) ?? TimeSpan.FromSeconds(2),
            PassiveHealth: MetadataReader.Bool(metadata, ChatProxyMetadata.PassiveHealth, owner) ?? true,
            PassiveReactivation: MetadataReader.Seconds(metadata, ChatProxyMetadata.PassiveReactivation, owner) ?? TimeSpan.FromSeconds(10),
            ConnectTimeout: MetadataReader.Seconds(metadata, ChatProxyMetadata.ConnectTimeout, owner) ?? TimeSpan.FromSeconds(5),
            KeepAliveTimeout: MetadataReader.Seconds(metadata, ChatProxyMetadata.KeepAliveTimeout, owner) ?? TimeSpan.FromSeconds(60),
            KeepAliveConnections: MetadataReader.PositiveInt(metadata, ChatProxyMetadata.KeepAliveConnections, owner),
            ConnectionTokenAffinity: MetadataReader.Bool(metadata, ChatProxyMetadata.ConnectionTokenAffinity, owner) ?? true,
            ReadTimeout: MetadataReader.Seconds(metadata, ChatProxyMetadata.ReadTimeout, owner),
            SendTimeout: MetadataReader.Seconds(metadata, ChatProxyMetadata.SendTimeout, owner));
    }
}
