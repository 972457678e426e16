using Chat.Proxy.Affinity;
using Chat.Proxy.Balancing;
using Chat.Proxy.Configuration;
using Chat.Proxy.Drain;
using Chat.Proxy.Health;
using Chat.Proxy.Observability;
using Chat.Proxy.Pipeline;
using Chat.Proxy.Routing;
using Chat.Proxy.Timeouts;
using Chat.ServiceDefaults.Drain;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Matching;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.LoadBalancing;

namespace Chat.Proxy;

/// <summary>
/// The public entry of the chat proxy core. Register with <see cref="AddChatProxy"/>, then feed YARP routes and
/// clusters the usual way on the returned builder (<c>.LoadFromConfig(section)</c>, <c>.LoadFromMemory(routes,
/// clusters)</c> and <c>InMemoryConfigProvider.Update</c>, or any <c>IProxyConfigProvider</c>), with
/// <see cref="ChatProxyMetadata"/> keys on clusters and routes; map with <see cref="MapChatProxy"/>.
/// </summary>
public static class ChatProxyExtensions
{
    public static IReverseProxyBuilder AddChatProxy(this IServiceCollection services, Action<ChatProxyOptions>? configure = null)
    {
        services.AddOptions<ChatProxyOptions>()
            .Configure(configure ?? (_ => { }))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<ChatProxyOptions>, ChatProxyOptionsValidator>();

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ChatProxyMetrics>();
        // The upgraded-connection limit of the host's Kestrel follows the proxy's own total.
        services.AddOptions<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>().Configure<IOptions<ChatProxyOptions>>((kestrel, proxy) =>
            kestrel.Limits.MaxConcurrentUpgradedConnections = proxy.Value.Limits.MaxConnections);
        services.AddSingleton<DestinationLoadTracker>();
        services.AddSingleton<ConnectionTokenAffinityStore>();
        services.AddSingleton<ProxiedConnections>();
        services.AddSingleton<ProxyDrainer>();
        services.AddSingleton<IdleTimeoutWatchdog>();
        services.AddSingleton<RouteTimeoutPlans>();
        services.AddSingleton<LeastConnectionsPicker>();
        services.AddSingleton<ILoadBalancingPolicy, ByRequestKindPolicy>();
        services.AddSingleton<PassiveOutages>();
        services.AddSingleton<IActiveHealthCheckPolicy, ReadinessHealthPolicy>();
        services.AddSingleton<IPassiveHealthCheckPolicy, ConsecutiveFailuresHealthPolicy>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<MatcherPolicy, IndexedHostMatcherPolicy>());

        var builder = services.AddReverseProxy()
            .AddConfigFilter<ChatProxyConfigFilter>()
            .AddTransforms<NegotiateAffinityTransformProvider>();
        services.Replace(ServiceDescriptor.Singleton<IForwarderHttpClientFactory, ChatForwarderHttpClientFactory>());
        if (services.LastOrDefault(d => d.ServiceType == typeof(IConfigValidator)) is { ImplementationType: { } validator } registered)
        {
            services.Remove(registered);
            services.AddSingleton<IConfigValidator>(sp => new CachingConfigValidator((IConfigValidator)ActivatorUtilities.CreateInstance(sp, validator)));
        }

        return builder;
    }

    /// <summary>
    /// Drains on SIGTERM before stopping (see <see cref="ProxyDrainer"/>): the host's lifetime becomes
    /// <see cref="DrainingHostLifetime"/>; add the drainer to readiness with a health check tag of the host's choice.
    /// </summary>
    public static IServiceCollection AddChatProxyDrainOnShutdown(this IServiceCollection services) =>
        services.AddDrainingHostLifetime<ProxyDrainer>("draining the proxied connections before stopping");

    /// <summary>Maps the proxied routes with the chat pipeline (see <see cref="UseChatProxyPipeline"/>).</summary>
    public static ReverseProxyConventionBuilder MapChatProxy(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapChatProxy(pipeline => pipeline.UseChatProxyPipeline());

    /// <summary>
    /// Maps the proxied routes with a pipeline of the host's, their hosts matched by
    /// <see cref="IndexedHostMatcherPolicy"/>.
    /// </summary>
    public static ReverseProxyConventionBuilder MapChatProxy(this IEndpointRouteBuilder endpoints, Action<IReverseProxyApplicationBuilder> pipeline)
    {
        var proxy = endpoints.MapReverseProxy(pipeline);
        proxy.Add(RouteHosts.Index);
        return proxy;
    }

    /// <summary>
    /// YARP's standard steps plus the chat ones: client limits and internal paths, refusals while draining,
    /// connection-token affinity, session affinity, load balancing, connection tracking (metrics, timeouts, WebSocket
    /// counts), passive health checks.
    /// </summary>
    public static IReverseProxyApplicationBuilder UseChatProxyPipeline(this IReverseProxyApplicationBuilder pipeline)
    {
        pipeline.UseMiddleware<ClientLimitsMiddleware>();
        pipeline.UseMiddleware<DrainMiddleware>();
        pipeline.UseMiddleware<ConnectionTokenAffinityMiddleware>();
        pipeline.UseSessionAffinity();
        pipeline.UseLoadBalancing();
        pipeline.UseMiddleware<ConnectionTrackingMiddleware>();
        pipeline.UsePassiveHealthChecks();
        return pipeline;
    }

    private sealed class ChatProxyOptionsValidator : IValidateOptions<ChatProxyOptions>
    {
        public ValidateOptionsResult Validate(string? name, ChatProxyOptions options)
        {
            var errors = options.Validate().ToList();
            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }
    }
}
