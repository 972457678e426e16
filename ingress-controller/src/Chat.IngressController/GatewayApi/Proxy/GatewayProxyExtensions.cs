using Chat.IngressController.GatewayApi.Addresses;
using Chat.IngressController.GatewayApi.Status;
using Microsoft.AspNetCore.Connections;
using Chat.Proxy;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Matching;
using Yarp.ReverseProxy.Configuration;

namespace Chat.IngressController.GatewayApi.Proxy;

/// <summary>Registration of the Gateway API's parts of the proxy and of the controller.</summary>
public static class GatewayProxyExtensions
{
    public static IReverseProxyBuilder AddGatewayApi(this IReverseProxyBuilder proxy)
    {
        var services = proxy.Services;
        services.AddSingleton<GatewayRouteBehaviors>();
        services.AddSingleton<GatewayListenerIndex>();
        services.AddSingleton<GatewayConnections>();
        services.AddSingleton<GatewayCertificates>();
        services.AddSingleton<GatewayRequestHandler>();
        services.AddSingleton<GatewayApiReconciler>();
        services.AddSingleton<GatewayStatusWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<GatewayStatusWriter>());
        services.AddSingleton<GatewayServiceWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<GatewayServiceWriter>());
        services.AddSingleton<GatewayPortListeners>();
        services.AddSingleton<IConnectionListenerFactory>(sp => sp.GetRequiredService<GatewayPortListeners>());
        services.AddSingleton<MatcherPolicy, GatewayMatcherPolicy>();
        return proxy.AddTransforms<GatewayTransformProvider>();
    }

    /// <summary>The proxy: weighted backendRefs and WebSocket tracking first, then the chat pipeline (affinity, balancing, timeouts).</summary>
    public static ReverseProxyConventionBuilder MapProxyWithGatewayApi(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapChatProxy(pipeline =>
        {
            pipeline.UseMiddleware<GatewayBackendSelection>();
            pipeline.UseChatProxyPipeline();
        });
}
