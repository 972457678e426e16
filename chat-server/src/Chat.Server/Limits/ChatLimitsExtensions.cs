using Chat.Contracts;
using Chat.Server.Hosting;
using Chat.Server.Observability;
using Chat.Server.Rooms;
using Chat.ServiceDefaults.Limits;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace Chat.Server.Limits;

/// <summary>Wiring of <c>Chat:Limits</c>: the client's address behind trusted proxies, Kestrel's upgrade limit, the hub's door.</summary>
public static class ChatLimitsExtensions
{
    public static WebApplicationBuilder AddChatLimits(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<LimitOptions>()
            .BindConfiguration(LimitOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<ChatLimits>();
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<LimitOptions>>((kestrel, limits) =>
            kestrel.Limits.MaxConcurrentUpgradedConnections = limits.Value.MaxConnections);
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<LimitOptions>>((forwarded, limits) =>
        {
            // Only X-Forwarded-For, only from the trusted proxies, only the nearest hop: the address limits count.
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor;
            forwarded.ForwardLimit = 1;
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            foreach (var network in new IPNetworkList(limits.Value.TrustedProxiesOrDefault).Networks)
            {
                forwarded.KnownIPNetworks.Add(network);
            }
        });
        return builder;
    }

    /// <summary>
    /// The SignalR hub's door, before SignalR: a foreign browser Origin gets 403; a new connection (negotiate, or a
    /// WebSocket without a connection token) over its address's connect rate, its address's or the server's open
    /// connection limit gets 429 or 503 with the reason, before any connection state is made.
    /// </summary>
    public static WebApplication UseHubAdmission(this WebApplication app, string hubPath)
    {
        var limits = app.Services.GetRequiredService<ChatLimits>();
        var origins = app.Services.GetRequiredService<OriginPolicy>();
        var metrics = app.Services.GetRequiredService<ChatMetrics>();
        app.UseWhen(context => context.Request.Path.StartsWithSegments(hubPath), hub => hub.Use(async (context, next) =>
        {
            if (!origins.IsAllowed(context.Request))
            {
                metrics.Error(ChatErrorKinds.Origin);
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                await context.Response.WriteAsync($"Origin '{context.Request.Headers.Origin}' is not allowed.");
                return;
            }

            var request = context.Request;
            var opens = (HttpMethods.IsPost(request.Method) && request.Path.Value!.EndsWith("/negotiate", StringComparison.OrdinalIgnoreCase))
                || (context.WebSockets.IsWebSocketRequest && !request.Query.ContainsKey("id"));
            if (opens && limits.Connections.TryConnect(context.Connection.RemoteIpAddress) is { IsAdmitted: false } refused)
            {
                metrics.Error(ChatErrorKinds.ConnectionLimit);
                context.Response.StatusCode = refused.Refusal == ConnectionRefusal.Total ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status429TooManyRequests;
                context.Response.Headers.RetryAfter = "1";
                await context.Response.WriteAsync(refused.Reason!);
                return;
            }

            await next(context);
        }));
        return app;
    }
}
