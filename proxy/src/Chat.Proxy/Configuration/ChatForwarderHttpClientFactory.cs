using System.Net.Http;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;

namespace Chat.Proxy.Configuration;

/// <summary>
/// YARP's client factory plus the upstream connection settings of <see cref="ChatProxyMetadata"/>: connect timeout,
/// idle time and size of the keep-alive pool. A new client is built only when those or YARP's own settings change;
/// the old one is not disposed, so connections in flight (and upgraded WebSockets) stay open.
/// </summary>
internal sealed class ChatForwarderHttpClientFactory(ILogger<ForwarderHttpClientFactory> logger) : ForwarderHttpClientFactory(logger)
{
    protected override bool CanReuseOldClient(ForwarderHttpClientContext context) =>
        base.CanReuseOldClient(context) && (ReferenceEquals(context.OldMetadata, context.NewMetadata)
            || UpstreamSettings(context.ClusterId, context.OldMetadata) == UpstreamSettings(context.ClusterId, context.NewMetadata));

    protected override void ConfigureHandler(ForwarderHttpClientContext context, SocketsHttpHandler handler)
    {
        base.ConfigureHandler(context, handler);
        if (!MetadataReader.HasChatKeys(context.NewMetadata))
        {
            return;
        }

        var (connect, keepAlive, connections) = UpstreamSettings(context.ClusterId, context.NewMetadata);
        handler.ConnectTimeout = connect;
        handler.PooledConnectionIdleTimeout = keepAlive;
        if (connections is { } max && context.NewConfig.MaxConnectionsPerServer is null)
        {
            handler.MaxConnectionsPerServer = max;
        }
    }

    private static (TimeSpan Connect, TimeSpan KeepAlive, int? Connections) UpstreamSettings(string clusterId, IReadOnlyDictionary<string, string>? metadata)
    {
        var settings = ClusterSettings.From(clusterId, metadata);
        return (settings.ConnectTimeout, settings.KeepAliveTimeout, settings.KeepAliveConnections);
    }
}
