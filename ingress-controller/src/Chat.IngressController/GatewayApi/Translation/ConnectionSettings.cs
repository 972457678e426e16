using System.Globalization;
using Chat.IngressController.Translation;
using Chat.Proxy;

namespace Chat.IngressController.GatewayApi.Translation;

/// <summary>
/// The long-lived-connection settings of one backend as YARP cluster metadata in the proxy core's vocabulary: the
/// Gateway API's defaults (round robin, no idle timeouts beyond the proxy's), least connections for GEP-1911
/// WebSocket backends, and whatever a <see cref="Models.ConnectionPolicy"/> sets.
/// </summary>
public sealed record ConnectionSettings
{
    public string ConnectionBalance { get; init; } = ChatProxyMetadata.RoundRobin;
    public string RequestBalance { get; init; } = ChatProxyMetadata.RoundRobin;
    public TimeSpan? ReadTimeout { get; init; }
    public TimeSpan? SendTimeout { get; init; }
    public TimeSpan Drain { get; init; } = TimeSpan.FromSeconds(30);
    public string? ReadinessPath { get; init; }
    public TimeSpan? ConnectTimeout { get; init; }
    public TimeSpan? KeepAliveTimeout { get; init; }
    public int? KeepAliveConnections { get; init; }

    public Dictionary<string, string> ToMetadata()
    {
        var metadata = new Dictionary<string, string>
        {
            [ChatProxyMetadata.LoadBalance] = ConnectionBalance,
            [ChatProxyMetadata.RequestLoadBalance] = RequestBalance,
            [MetadataKeys.DrainTimeout] = Seconds(Drain),
        };
        void Add(string key, TimeSpan? value)
        {
            if (value is { } v)
            {
                metadata[key] = Seconds(v);
            }
        }

        Add(ChatProxyMetadata.ReadTimeout, ReadTimeout);
        Add(ChatProxyMetadata.SendTimeout, SendTimeout);
        Add(ChatProxyMetadata.ConnectTimeout, ConnectTimeout);
        Add(ChatProxyMetadata.KeepAliveTimeout, KeepAliveTimeout);
        if (KeepAliveConnections is { } max)
        {
            metadata[ChatProxyMetadata.KeepAliveConnections] = max.ToString(CultureInfo.InvariantCulture);
        }

        if (ReadinessPath is { } path)
        {
            metadata[ChatProxyMetadata.ReadinessPath] = path;
        }

        return metadata;
    }

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString(CultureInfo.InvariantCulture);
}
