using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.Options;

namespace Chat.Server.Hubs;

public static class OptionalArgumentsExtensions
{
    /// <summary>JSON hub protocol that lets callers leave out <typeparamref name="THub"/>'s trailing default parameters.</summary>
    public static ISignalRServerBuilder AddOptionalArguments<THub>(this ISignalRServerBuilder signalR)
        where THub : Hub
    {
        var services = signalR.Services;
        var json = services.Where(d => d.ServiceType == typeof(IHubProtocol) && d.ImplementationType == typeof(JsonHubProtocol)).ToList();
        foreach (var descriptor in json)
        {
            services.Remove(descriptor);
        }

        services.AddSingleton<IHubProtocol>(sp => new OptionalArgumentsHubProtocol(
            new JsonHubProtocol(sp.GetRequiredService<IOptions<JsonHubProtocolOptions>>()), typeof(THub)));
        return signalR;
    }
}
