using System.Text.Json;
using Chat.Proxy.Balancing;
using Chat.Proxy.Configuration;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace Chat.Proxy.Affinity;

/// <summary>
/// On routes of clusters with <see cref="ChatProxyMetadata.ConnectionTokenAffinity"/> (the default for chat
/// clusters), reads each successful SignalR negotiate response (small JSON, passed through unchanged) and remembers
/// which destination issued its connection token.
/// </summary>
internal sealed class NegotiateAffinityTransformProvider(ConnectionTokenAffinityStore store) : ITransformProvider
{
    private const int MaxNegotiateBytes = 64 * 1024;

    public void ValidateRoute(TransformRouteValidationContext context)
    {
    }

    public void ValidateCluster(TransformClusterValidationContext context)
    {
    }

    public void Apply(TransformBuilderContext context)
    {
        if (context.Cluster is not { } cluster)
        {
            return;
        }

        var settings = ClusterSettings.From(cluster);
        if (!settings.Enabled || !settings.ConnectionTokenAffinity)
        {
            return;
        }

        context.AddResponseTransform(RememberTokenAsync);
    }

    private async ValueTask RememberTokenAsync(ResponseTransformContext context)
    {
        var http = context.HttpContext;
        if (context.ProxyResponse is not { IsSuccessStatusCode: true } response
            || !ConnectionRequest.IsNegotiate(http.Request)
            || response.Content.Headers.ContentLength > MaxNegotiateBytes)
        {
            return;
        }

        var feature = http.GetReverseProxyFeature();
        if (feature.ProxiedDestination is not { } destination)
        {
            return;
        }

        var body = await response.Content.ReadAsByteArrayAsync(context.CancellationToken);
        context.SuppressResponseBody = true;
        if (TryReadToken(body) is { } token)
        {
            store.Remember(feature.Cluster.Config.ClusterId, token, destination.DestinationId);
        }

        await http.Response.Body.WriteAsync(body, context.CancellationToken);
    }

    /// <summary>Negotiate v1 has connectionToken (the transports' id); v0 only connectionId.</summary>
    private static string? TryReadToken(byte[] body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            if (root.TryGetProperty("connectionToken", out var token) && token.ValueKind == JsonValueKind.String)
            {
                return token.GetString();
            }

            return root.TryGetProperty("connectionId", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
