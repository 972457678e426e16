using Chat.ServiceDefaults;
using StackExchange.Redis;

namespace Chat.Server.Backplane.Redis;

/// <summary>Wiring of the Redis mode: one shared connection, the Redis broker, presence and load stores, readiness.</summary>
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

        services.AddOptions<RedisBackplaneOptions>()
            .BindConfiguration(RedisBackplaneOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        // One multiplexer for the broker, presence and load reports.
        services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(configuration));
        services.AddSingleton<RedisRoomBroker>();
        services.AddSingleton<IRoomBroker>(sp => sp.GetRequiredService<RedisRoomBroker>());
        services.AddSingleton<IPresenceStore, RedisPresenceStore>();
        services.AddSingleton<INameRegistry, RedisNameRegistry>();
        services.AddSingleton<ILoadStore, RedisLoadStore>();
        services.AddHealthChecks().AddCheck<RedisHealthCheck>("redis", tags: [ServiceDefaultsExtensions.ReadyTag]);
        return services;
    }
}
