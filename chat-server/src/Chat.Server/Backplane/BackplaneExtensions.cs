using Chat.Server.Backplane.Memory;
using Chat.Server.Backplane.Redis;
using Microsoft.AspNetCore.SignalR;

namespace Chat.Server.Backplane;

/// <summary>The one place that decides the backplane: Redis when <c>ConnectionStrings:Redis</c> is set, else memory (one node).</summary>
public static class BackplaneExtensions
{
    public static ISignalRServerBuilder AddChatBackplane(this ISignalRServerBuilder signalR, IConfiguration configuration)
    {
        var services = signalR.Services;
        var redis = configuration.GetConnectionString("Redis");
        if (string.IsNullOrWhiteSpace(redis))
        {
            services.AddSingleton<IRoomBroker, InMemoryRoomBroker>();
            services.AddSingleton<IPresenceStore, InMemoryPresenceStore>();
            services.AddSingleton<INameRegistry, InMemoryNameRegistry>();
            services.AddSingleton<ILoadStore, InMemoryLoadStore>();
            return signalR;
        }

        // No SignalR Redis backplane: room messages and the presence that follows their JOIN/LEAVE come through the
        // room broker (sharded per room), so nothing is broadcast to every Redis node and no connection holds a
        // Redis subscription of its own.
        services.AddRedisBackplane(redis);
        return signalR;
    }
}
