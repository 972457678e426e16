using Chat.Server.Hubs;
using Chat.Contracts;
using Chat.Testing;
using Microsoft.AspNetCore.SignalR.Client;

namespace Chat.Server.Tests.Support;

/// <summary>
/// A .NET SignalR client of `/hub/chat` that behaves like the browser client: it keeps the messages of each room
/// once, in offset order (history, resumed gap and live messages may overlap, and are merged by offset).
/// </summary>
public sealed class TestChatClient : IAsyncDisposable
{
    private readonly List<ChatMessage> _messages = [];
    private readonly List<PresenceUpdate> _presence = [];
    private readonly List<ReconnectRequest> _reconnects = [];

    private TestChatClient(HubConnection connection) => Connection = connection;

    public HubConnection Connection { get; }

    /// <summary>Every message event as it arrived, duplicates included (to assert there are none).</summary>
    public List<ChatMessage> Raw { get; } = [];

    public static async Task<TestChatClient> ConnectAsync(Uri server)
    {
        var connection = new HubConnectionBuilder().WithUrl(new Uri(server, "/hub/chat")).Build();
        var client = new TestChatClient(connection);
        connection.On<ChatMessage>("message", client.OnMessage);
        connection.On<PresenceUpdate>("presence", p => { lock (client._presence) { client._presence.Add(p); } });
        connection.On<ReconnectRequest>("reconnect", r => { lock (client._reconnects) { client._reconnects.Add(r); } });
        await connection.StartAsync();
        return client;
    }

    public async Task<JoinResult> JoinAsync(string room, string user)
    {
        var result = await Connection.InvokeAsync<JoinResult>("Join", room, user);
        Merge(result.History);
        return result;
    }

    public Task<long> SendAsync(string room, string content) => Connection.InvokeAsync<long>("Send", room, content);

    public Task LeaveAsync(string room) => Connection.InvokeAsync("Leave", room);

    public async Task<IReadOnlyList<ChatMessage>> ResumeAsync(string room, string? epoch, long since)
    {
        var missed = await Connection.InvokeAsync<IReadOnlyList<ChatMessage>>("Resume", room, epoch, since);
        Merge(missed);
        return missed;
    }

    /// <summary>The room's messages, once each, in offset order.</summary>
    public IReadOnlyList<ChatMessage> Messages(string room)
    {
        lock (_messages)
        {
            return _messages.Where(m => m.Room == room).ToArray();
        }
    }

    public IReadOnlyList<ChatMessage> Chats(string room) => Messages(room).Where(m => m.Type == MessageType.CHAT).ToArray();

    public IReadOnlyList<PresenceUpdate> Presence
    {
        get
        {
            lock (_presence)
            {
                return _presence.ToArray();
            }
        }
    }

    public IReadOnlyList<ReconnectRequest> Reconnects
    {
        get
        {
            lock (_reconnects)
            {
                return _reconnects.ToArray();
            }
        }
    }

    public Task<bool> WaitForAsync(Func<TestChatClient, bool> condition, int seconds = 10) =>
        Eventually.TrueAsync(() => condition(this), TimeSpan.FromSeconds(seconds), TimeSpan.FromMilliseconds(25));

    public ValueTask DisposeAsync() => Connection.DisposeAsync();

    private void OnMessage(ChatMessage message)
    {
        lock (_messages)
        {
            Raw.Add(message);
        }

        Merge([message]);
    }

    private void Merge(IEnumerable<ChatMessage> messages)
    {
        lock (_messages)
        {
            foreach (var message in messages)
            {
                if (!_messages.Any(m => m.Room == message.Room && m.Epoch == message.Epoch && m.Offset == message.Offset))
                {
                    _messages.Add(message);
                }
            }

            _messages.Sort((a, b) => a.Offset.CompareTo(b.Offset));
        }
    }
}
