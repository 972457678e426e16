using System.Globalization;
using Chat.IngressController.Translation;
using Yarp.ReverseProxy.Forwarder;

namespace Chat.IngressController.Proxy;

/// <summary>
/// The upstream connection pool per cluster from its metadata: connect timeout (proxy-connect-timeout) and
/// keep-alive (upstream-keepalive-timeout, -time, -connections: 0). A client is replaced only when these change;
/// connections already open (WebSockets) stay on the old one.
/// </summary>
public sealed class UpstreamHttpClientFactory(ILogger<ForwarderHttpClientFactory> logger) : ForwarderHttpClientFactory(logger)
{
    private static readonly string[] Keys =
        [MetadataKeys.ConnectTimeout, MetadataKeys.KeepaliveTimeout, MetadataKeys.KeepaliveTime, MetadataKeys.KeepaliveConnections];

    protected override bool CanReuseOldClient(ForwarderHttpClientContext context) =>
        base.CanReuseOldClient(context)
        && Keys.All(k => context.OldMetadata?.GetValueOrDefault(k) == context.NewMetadata?.GetValueOrDefault(k));

    protected override void ConfigureHandler(ForwarderHttpClientContext context, SocketsHttpHandler handler)
    {
        base.ConfigureHandler(context, handler);
        var metadata = context.NewMetadata;
        if (Seconds(metadata, MetadataKeys.ConnectTimeout) is { } connect && connect > TimeSpan.Zero)
        {
            handler.ConnectTimeout = connect;
        }

        if (Seconds(metadata, MetadataKeys.KeepaliveTimeout) is { } idle)
        {
            handler.PooledConnectionIdleTimeout = idle;
        }

        if (Seconds(metadata, MetadataKeys.KeepaliveTime) is { } lifetime && lifetime > TimeSpan.Zero)
        {
            handler.PooledConnectionLifetime = lifetime;
        }

        if (metadata?.GetValueOrDefault(MetadataKeys.KeepaliveConnections) == "0")
        {
            handler.PooledConnectionIdleTimeout = TimeSpan.Zero;
        }
    }

    private static TimeSpan? Seconds(IReadOnlyDictionary<string, string>? metadata, string key) =>
        metadata?.GetValueOrDefault(key) is { } raw && double.TryParse(raw, CultureInfo.InvariantCulture, out var s) ? TimeSpan.FromSeconds(s) : null;
}
