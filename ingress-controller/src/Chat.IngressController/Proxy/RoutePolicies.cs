using System.Globalization;
using System.Net;
using Chat.IngressController.Hosting;
using Chat.IngressController.Translation;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Chat.IngressController.Proxy;

/// <summary>
/// Request-side Ingress settings, applied in the proxy pipeline once the route is known: source allow lists (403),
/// ssl-redirect (308 to HTTPS) and the request body limit (413).
/// </summary>
public sealed class RoutePolicies(IOptions<IngressControllerOptions> options)
{
    private readonly int _httpsPort = options.Value.HttpsRedirectPort;

    public Task InvokeAsync(HttpContext context, Func<Task> next)
    {
        var metadata = context.GetEndpoint()?.Metadata.GetMetadata<Yarp.ReverseProxy.Model.RouteModel>()?.Config.Metadata;
        if (metadata is null)
        {
            return next();
        }

        if (!IsAllowed(context.Connection.RemoteIpAddress, metadata))
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return Task.CompletedTask;
        }

        if (!context.Request.IsHttps && metadata.ContainsKey(MetadataKeys.SslRedirect))
        {
            var host = _httpsPort == 443 ? new HostString(context.Request.Host.Host) : new HostString(context.Request.Host.Host, _httpsPort);
            context.Response.StatusCode = StatusCodes.Status308PermanentRedirect;
            context.Response.Headers.Location = "https://" + host + context.Request.PathBase + context.Request.Path + context.Request.QueryString;
            return Task.CompletedTask;
        }

        if (metadata.TryGetValue(MetadataKeys.MaxBodySize, out var raw) && long.TryParse(raw, CultureInfo.InvariantCulture, out var max) && max > 0)
        {
            if (context.Request.ContentLength > max)
            {
                context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
                return Task.CompletedTask;
            }

            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            {
                limit.MaxRequestBodySize = max;
            }
        }

        return next();
    }

    private static bool IsAllowed(IPAddress? remote, IReadOnlyDictionary<string, string> metadata)
    {
        if (metadata.ContainsKey(MetadataKeys.DenyAll))
        {
            return false;
        }

        if (!metadata.TryGetValue(MetadataKeys.AllowSourceRanges, out var ranges))
        {
            return true;
        }

        if (remote is null)
        {
            return false;
        }

        if (remote.IsIPv4MappedToIPv6)
        {
            remote = remote.MapToIPv4();
        }

        foreach (var range in ranges.Split(','))
        {
            if (IPNetwork.TryParse(range, out var network) && network.Contains(remote))
            {
                return true;
            }
        }

        return false;
    }
}
