using Chat.Contracts;
using Chat.Testing;
using Microsoft.AspNetCore.SignalR.Client;

namespace Chat.Server.Tests.Cluster;

/// <summary>A SignalR client joined to rooms on one replica that records every delivery as it arrives.</summary>
internal sealed class ClusterSubscriber : IAsyncDisposable
{
    private readonly HubConnection _connection;
    private readonly List<ChatMessage> _deliveries = [];

    private ClusterSubscriber(HubConnection connection) => _connection = connection;

    public static async Task<ClusterSubscriber> JoinAsync(ServiceProcess replica, IEnumerable<string> rooms)
    {
        var connection = new HubConnectionBuilder().WithUrl(new Uri(replica.BaseAddress, ChatHubProtocol.Path)).Build();
        var subscriber = new ClusterSubscriber(connection);
        connection.On<ChatMessage>(ChatHubProtocol.MessageEvent, subscriber.Record);
        await connection.StartAsync();
        foreach (var room in rooms)
        {
            await connection.InvokeAsync<JoinResult>(ChatHubProtocol.Join, room, "user-" + replica.Port);
        }

        return subscriber;
    }

    public Task<long> SendAsync(string room, string content) => _connection.InvokeAsync<long>(ChatHubProtocol.Send, room, content);

    public async Task<string> SendAndReadEpochAsync(string room, string content)
    {
        var offset = await SendAsync(room, content);
        await Eventually.TrueAsync(() => Chats(room).Any(m => m.Offset == offset), TimeSpan.FromSeconds(10));
        return Chats(room).Single(m => m.Offset == offset).Epoch;
    }

    public IReadOnlyList<ChatMessage> Chats(string room)
    {
        lock (_deliveries)
        {
            return _deliveries.Where(m => m.Room == room && m.Type == MessageType.CHAT).ToArray();
        }
    }

    public bool Has(string room, IEnumerable<long> offsets)
    {
        var seen = Chats(room).Select(m => m.Offset).ToHashSet();
        return offsets.All(seen.Contains);
    }

    public IReadOnlyList<long> Duplicates(string room) =>
        Chats(room).GroupBy(m => m.Offset).Where(g => g.Count() > 1).Select(g => g.Key).ToArray();

    public ValueTask DisposeAsync() => _connection.DisposeAsync();

    private void Record(ChatMessage message)
    {
        lock (_deliveries)
        {
            _deliveries.Add(message);
        }
    }
}
