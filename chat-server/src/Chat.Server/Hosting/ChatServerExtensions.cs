using Chat.Contracts;
using Chat.Server.Backplane;
using Chat.Server.Connections;
using Chat.Server.Hubs;
using Chat.Server.Identity;
using Chat.Server.Limits;
using Chat.Server.Observability;
using Chat.Server.Presence;
using Chat.Server.Rooms;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Chat.Server.Hosting;

/// <summary>Wiring of the chat core: options, identity, limits, backplane (memory or Redis), presence, SignalR, replica header.</summary>
public static class ChatServerExtensions
{
    public static WebApplicationBuilder AddChatServer(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<ChatOptions>()
            .BindConfiguration(ChatOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        builder.AddChatIdentity();
        builder.AddChatLimits();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<OriginPolicy>();
        services.AddSingleton<ChatMetrics>();
        services.AddSingleton<ConnectionRegistry>();
        services.AddSingleton<ChatInput>();
        services.AddSingleton<PresenceTracker>();
        services.AddSingleton<IChatRooms, ChatRooms>();
        services.AddSingleton<RoomMembersReader>();
        services.AddHostedService<PresenceRefresher>();

        services.AddSingleton<LocalHubConnections>();
        services.AddSingleton<HubLifetimeManager<ChatHub>>(sp => sp.GetRequiredService<LocalHubConnections>());
        services.AddSignalR(o =>
            {
                o.AddFilter<ChatHubErrorFilter>(); // outermost: turns the limit filter's refusals into clear errors too
                o.AddFilter<ChatHubLimitFilter>();
            })
            .AddOptionalArguments<ChatHub>()
            .AddChatBackplane(builder.Configuration);
        return builder;
    }

    /// <summary>Every response says which replica answered (X-Chat-Replica).</summary>
    public static WebApplication UseReplicaHeader(this WebApplication app)
    {
        var replica = app.Services.GetRequiredService<IOptions<ChatOptions>>().Value.ReplicaId;
        app.Use((context, next) =>
        {
            context.Response.Headers[ChatHeaders.Replica] = replica;
            return next(context);
        });
        return app;
    }

    /// <summary>The hub; in Jwt mode only for authenticated callers (negotiate without a token is 401).</summary>
    public static WebApplication MapChatHub(this WebApplication app, string pattern)
    {
        var hub = app.MapHub<ChatHub>(pattern);
        if (app.Services.GetRequiredService<IOptions<AuthOptions>>().Value.Mode == AuthMode.Jwt)
        {
            hub.RequireAuthorization();
        }

        return app;
    }
}
