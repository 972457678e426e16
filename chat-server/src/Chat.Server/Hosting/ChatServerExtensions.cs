using Chat.Contracts;
using Chat.Server.Backplane;
using Chat.Server.Connections;
using Chat.Server.Hubs;
using Chat.Server.Observability;
using Chat.Server.Presence;
using Chat.Server.Rooms;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Chat.Server.Hosting;

/// <summary>Wiring of the chat core: options, backplane (memory or Redis), presence, SignalR, replica header.</summary>
public static class ChatServerExtensions
{
    public static WebApplicationBuilder AddChatServer(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<ChatOptions>()
            .BindConfiguration(ChatOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ChatMetrics>();
        services.AddSingleton<ConnectionRegistry>();
        services.AddSingleton<ChatInput>();
        services.AddSingleton<PresenceTracker>();
        services.AddSingleton<IChatRooms, ChatRooms>();
        services.AddSingleton<RoomMembersReader>();
        services.AddHostedService<PresenceRefresher>();

        services.AddSignalR(o => o.AddFilter<ChatHubErrorFilter>())
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

    public static WebApplication MapChatHub(this WebApplication app, string pattern)
    {
        app.MapHub<ChatHub>(pattern);
        return app;
    }
}
