using Chat.Contracts;
using Chat.Testing;

namespace Chat.Server.Tests.Cluster;

/// <summary>
/// A Chat.Client client joined to rooms on one replica, recording every delivery as it arrives. The cluster tests
/// check the server alone: its connection must never end (a reconnect would let the client's recovery hide a loss).
/// </summary>
internal sealed class ClusterSubscriber : IAsyncDisposable
{
    private readonly RecordingChatClient _client;

    private ClusterSubscriber(RecordingChatClient client) => _client = client;

    public static async Task<ClusterSubscriber> JoinAsync(ServiceProcess replica, IEnumerable<string> rooms)
    {
        var subscriber = new ClusterSubscriber(await RecordingChatClient.StartAsync(replica.BaseAddress, "user-" + replica.Port));
        foreach (var room in rooms)
        {
            await subscriber._client.JoinAsync(room);
        }

        return subscriber;
    }

    /// <summary>How often the connection ended and was made again; 0 while the server kept it.</summary>
    public int Reconnects => _client.Reconnects;

    public async Task<long> SendAsync(string room, string content) =>
        await _client.SendAsync(room, content) ?? throw new InvalidOperationException("a SignalR send is confirmed with its offset");

    public async Task<string> SendAndReadEpochAsync(string room, string content)
    {
        var offset = await SendAsync(room, content);
        await Eventually.TrueAsync(() => Chats(room).Any(m => m.Offset == offset), TimeSpan.FromSeconds(10));
        return Chats(room).Single(m => m.Offset == offset).Epoch;
    }

    public IReadOnlyList<ChatMessage> Chats(string room) => _client.Chats(room);

    public bool Has(string room, IEnumerable<long> offsets)
    {
        var seen = Chats(room).Select(m => m.Offset).ToHashSet();
        return offsets.All(seen.Contains);
    }

    /// <summary>Chat offsets the server delivered more than once (before the client's de-duplication).</summary>
    public IReadOnlyList<long> Duplicates(string room) =>
        _client.Arrivals(room).Where(a => a.Message.Type == MessageType.CHAT)
            .GroupBy(a => (a.Message.Epoch, a.Message.Offset)).Where(g => g.Count() > 1).Select(g => g.Key.Offset).ToArray();

    public ValueTask DisposeAsync() => _client.DisposeAsync();
}
