using Chat.ServiceDefaults;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.StackExchangeRedis;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Chat.Server.Backplane.Redis;

/// <summary>Wiring of the Redis mode: one shared connection, the Redis broker, presence and load stores, readiness, SignalR's backplane.</summary>
public static class RedisBackplaneExtensions
{
    public static IServiceCollection AddRedisBackplane(this IServiceCollection services, string connectionString)
    {
        var configuration = ConfigurationOptions.Parse(connectionString);
        // Start while Redis is down and reconnect by itself; readiness says whether it is there.
        configuration.AbortOnConnectFail = false;
        configuration.ClientName ??= "chat-server";
        // Come back soon after Redis does: retry every 250 ms at first, never less often than every 5 s.
        configuration.ReconnectRetryPolicy ??= new ExponentialRetry(250, 5000);

        // One multiplexer for the broker, presence, the SignalR backplane and load reports.
        services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(configuration));
        services.AddSingleton<RedisRoomBroker>();
        services.AddSingleton<IRoomBroker>(sp => sp.GetRequiredService<RedisRoomBroker>());
        services.AddSingleton<IPresenceStore, RedisPresenceStore>();
        services.AddSingleton<INameRegistry, RedisNameRegistry>();
        services.AddSingleton<ILoadStore, RedisLoadStore>();
        services.AddHealthChecks().AddCheck<RedisHealthCheck>("redis", tags: [ServiceDefaultsExtensions.ReadyTag]);
        return services;
    }

    /// <summary>SignalR's Redis backplane on the shared connection: presence and sends to connections on other replicas.</summary>
    public static ISignalRServerBuilder AddRedisBackplane(this ISignalRServerBuilder signalR)
    {
        signalR.AddStackExchangeRedis();
        signalR.Services.AddOptions<RedisOptions>().Configure<IServiceProvider>((o, sp) =>
        {
            o.Configuration.ChannelPrefix = RedisChannel.Literal("chat:signalr");
            o.ConnectionFactory = _ => Task.FromResult(sp.GetRequiredService<IConnectionMultiplexer>());
        });
        return signalR;
    }
}
