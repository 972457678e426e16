using Chat.ServiceDefaults.Limits;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Chat.ServiceDefaults;

/// <summary>
/// Health and metrics are for probes and scrapers, not for the public: they answer only requests from
/// <c>Internal:AllowedNetworks</c> (default loopback and the private ranges, where probes, Prometheus and the
/// proxies' readiness checks come from); anyone else gets 404. The proxies never route these paths either.
/// </summary>
public static class InternalEndpoints
{
    public const string SectionName = "Internal";

    /// <summary>Loopback, RFC 1918, link-local and unique-local networks.</summary>
    public static readonly string[] DefaultAllowedNetworks =
    [
        "127.0.0.0/8", "::1/128", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16", "fc00::/7", "fe80::/10",
    ];

    /// <summary>The paths every service maps for probes and scrapes.</summary>
    public static readonly string[] Paths = ["/healthz", "/readyz", "/metrics"];

    /// <summary>Marks an endpoint as internal (see <see cref="InternalEndpoints"/>).</summary>
    public static TBuilder Internal<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        builder.WithMetadata(Marker.Instance);
        return builder;
    }

    /// <summary>Refuses internal endpoints to addresses outside the allowed networks (call before the endpoints run).</summary>
    public static WebApplication UseInternalEndpoints(this WebApplication app)
    {
        var configured = app.Configuration.GetSection($"{SectionName}:AllowedNetworks").Get<string[]>();
        var allowed = new IPNetworkList(configured is { Length: > 0 } ? configured : DefaultAllowedNetworks);
        app.Use((context, next) =>
        {
            if (context.GetEndpoint()?.Metadata.GetMetadata<Marker>() is not null && !allowed.Contains(context.Connection.RemoteIpAddress))
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }

            return next(context);
        });
        return app;
    }

    private sealed class Marker
    {
        public static readonly Marker Instance = new();
    }
}
