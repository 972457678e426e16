using Chat.Contracts;
using Chat.Testing;
using Microsoft.AspNetCore.SignalR.Client;

namespace Chat.Server.Tests.Support;

/// <summary>
/// The hub called directly, as an existing client of the older contract does, for what the product client never
/// does: <c>Resume</c>, <c>Join</c> without <c>since</c>, a second name on one connection, positions that are
/// wrong on purpose. It records the message events as they arrive. Everything else uses Chat.Client
/// (<see cref="RecordingChatClient"/>).
/// </summary>
public sealed class RawHubClient : IAsyncDisposable
{
    private readonly List<ChatMessage> _received = [];

    private RawHubClient(HubConnection connection) => Connection = connection;

    public HubConnection Connection { get; }

    public static async Task<RawHubClient> ConnectAsync(Uri server)
    {
        var client = new RawHubClient(new HubConnectionBuilder().WithUrl(new Uri(server, ChatHubProtocol.Path)).Build());
        client.Connection.On<ChatMessage>(ChatHubProtocol.MessageEvent, m => { lock (client._received) { client._received.Add(m); } });
        await client.Connection.StartAsync();
        return client;
    }

    /// <summary>The message events of the room, as they arrived.</summary>
    public IReadOnlyList<ChatMessage> Received(string room)
    {
        lock (_received)
        {
            return [.. _received.Where(m => m.Room == room)];
        }
    }

    /// <summary>The CHAT messages of the room, as they arrived.</summary>
    public IReadOnlyList<ChatMessage> Chats(string room) => [.. Received(room).Where(m => m.Type == MessageType.CHAT)];

    /// <summary>Every message event of any room, as they arrived.</summary>
    public IReadOnlyList<ChatMessage> Raw
    {
        get
        {
            lock (_received)
            {
                return [.. _received];
            }
        }
    }

    public Task LeaveAsync(string room) => Connection.InvokeAsync(ChatHubProtocol.Leave, room);

    public Task<JoinResult> JoinAsync(string room, string user) => Connection.InvokeAsync<JoinResult>(ChatHubProtocol.Join, room, user);

    public Task<long> SendAsync(string room, string content) => Connection.InvokeAsync<long>(ChatHubProtocol.Send, room, content);

    public Task<IReadOnlyList<ChatMessage>> ResumeAsync(string room, string? epoch, long since) =>
        Connection.InvokeAsync<IReadOnlyList<ChatMessage>>(ChatHubProtocol.Resume, room, epoch, since);

    public Task<bool> WaitForAsync(Func<RawHubClient, bool> condition, int seconds = 10) =>
        Eventually.TrueAsync(() => condition(this), TimeSpan.FromSeconds(seconds), TimeSpan.FromMilliseconds(25));

    public ValueTask DisposeAsync() => Connection.DisposeAsync();
}
