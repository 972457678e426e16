using Chat.Gateway.Discovery;
using Chat.Proxy;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.ServiceDiscovery;

namespace Chat.Gateway.Hosting;

/// <summary>Wiring of the gateway: its config file, the chat proxy fed from YARP's <c>ReverseProxy</c> section, DNS discovery.</summary>
public static class GatewayExtensions
{
    /// <summary>Layers <c>Gateway:ConfigFile</c> on top of the other configuration sources, reloaded on change.</summary>
    public static WebApplicationBuilder AddGatewayConfigFile(this WebApplicationBuilder builder)
    {
        var file = builder.Configuration[$"{GatewayOptions.Section}:{nameof(GatewayOptions.ConfigFile)}"];
        if (!string.IsNullOrWhiteSpace(file))
        {
            // Optional here so that a missing file is reported by option validation with its name, not a stack trace.
            builder.Configuration.AddJsonFile(Path.GetFullPath(file), optional: true, reloadOnChange: true);
        }

        return builder;
    }

    public static WebApplicationBuilder AddGateway(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<GatewayOptions>()
            .Bind(builder.Configuration.GetSection(GatewayOptions.Section))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<GatewayOptions>, GatewayOptionsValidator>();

        builder.Services.AddChatProxy(o => builder.Configuration.GetSection($"{GatewayOptions.Section}:Limits").Bind(o.Limits))
            .LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"));
        builder.Services.AddSingleton<IDestinationResolver, DnsDestinationResolver>();
        return builder;
    }
}
