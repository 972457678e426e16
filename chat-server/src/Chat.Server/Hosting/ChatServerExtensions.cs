namespace Chat.Server.Hosting;

/// <summary>Wiring of the chat core: options, broker (memory or Redis), presence, SignalR, replica header.</summary>
public static class ChatServerExtensions
{
    public static WebApplicationBuilder AddChatServer(this WebApplicationBuilder builder)
    {
        // TODO(issue 2): options, ChatMetrics, ConnectionRegistry, IRoomBroker, IChatRooms, SignalR (+ Redis backplane).
        return builder;
    }

    public static WebApplication UseReplicaHeader(this WebApplication app) => app;

    public static WebApplication MapChatHub(this WebApplication app, string pattern) => app;
}
