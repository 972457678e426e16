using System.Globalization;
using Chat.Contracts;
using Chat.Server.Connections;
using Chat.ServiceDefaults;
using Chat.ServiceDefaults.Drain;

namespace Chat.Server.Balancing;

/// <summary>Wiring of load reports, rebalancing and drain.</summary>
public static class RebalancingExtensions
{
    public static WebApplicationBuilder AddRebalancing(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<BalancingOptions>()
            .BindConfiguration(BalancingOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.AddSingleton<DrainState>();
        services.AddSingleton<ProxyReadiness>();
        services.AddSingleton<ClusterLoad>();
        services.AddSingleton<ConnectionHandover>();
        services.AddSingleton<Drainer>();
        services.AddDrainingHostLifetime<Drainer>("draining before stopping");
        services.AddHealthChecks().AddCheck<DrainState>("draining", tags: [ServiceDefaultsExtensions.ReadyTag]);
        services.AddHostedService<DrainService>();

        // The drain runs before the server stops; the host must wait for it.
        var drainTimeout = builder.Configuration.GetSection(BalancingOptions.SectionName).Get<BalancingOptions>()?.DrainTimeout
            ?? new BalancingOptions().DrainTimeout;
        services.Configure<HostOptions>(o =>
        {
            var needed = drainTimeout + TimeSpan.FromSeconds(10);
            if (o.ShutdownTimeout < needed)
            {
                o.ShutdownTimeout = needed;
            }
        });

        // In a Kubernetes pod that knows its name: the pod-deletion-cost follows the connection count.
        services.AddOptions<PodDeletionCostOptions>()
            .BindConfiguration(PodDeletionCostOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        var deletionCost = new PodDeletionCostOptions();
        builder.Configuration.GetSection(PodDeletionCostOptions.SectionName).Bind(deletionCost);
        if (deletionCost.Enabled)
        {
            services.AddHostedService<PodDeletionCostUpdater>();
        }

        // The load store is the backplane's: in memory it holds one node, which is never above its fair share.
        services.AddSingleton<LoadReporter>();
        services.AddHostedService(sp => sp.GetRequiredService<LoadReporter>());
        services.AddSingleton<IDrainParticipant>(sp => sp.GetRequiredService<LoadReporter>());
        if (builder.Configuration.GetValue($"{BalancingOptions.SectionName}:{nameof(BalancingOptions.Rebalance)}", true))
        {
            services.AddHostedService<Rebalancer>();
        }

        return builder;
    }

    /// <summary>
    /// Every response reports this replica's open connections (<c>X-Chat-Connections</c>, read by the gateway's
    /// readiness probes); while draining, new connections (negotiate, WebSocket upgrades without a connection token)
    /// are refused with 503 so that clients reconnect elsewhere.
    /// </summary>
    public static WebApplication UseLoadReports(this WebApplication app)
    {
        var registry = app.Services.GetRequiredService<ConnectionRegistry>();
        var drain = app.Services.GetRequiredService<DrainState>();
        var readiness = app.Services.GetRequiredService<ProxyReadiness>();
        app.Use(async (context, next) =>
        {
            context.Response.Headers[ChatHeaders.Connections] = registry.Count.ToString(CultureInfo.InvariantCulture);
            if (drain.Draining && IsNewConnection(context.Request))
            {
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                context.Response.Headers.RetryAfter = "1";
                return;
            }

            await next(context);
            if (!readiness.Answered && context.Request.Path == "/readyz" && context.Response.StatusCode == StatusCodes.Status200OK)
            {
                readiness.ReadyAnswered();
            }
        });
        return app;
    }

    private static bool IsNewConnection(HttpRequest request) =>
        request.Path.Value?.EndsWith("/negotiate", StringComparison.OrdinalIgnoreCase) == true
        || (request.Headers.Upgrade.Count > 0 && !request.Query.ContainsKey("id"));
}
