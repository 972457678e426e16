using Chat.Client;
using Chat.Contracts;
using Chat.Testing;
using Microsoft.AspNetCore.Http.Connections;

namespace Chat.Gateway.Tests.Support;

/// <summary>
/// A <see cref="RecordingChatClient"/> in one room through the gateway, and where it joined: the sequence it must see
/// (each offset once, in order, none pushed twice) starts after that. It moves and resumes by itself.
/// </summary>
public sealed class RoomMember : IAsyncDisposable
{
    private RoomMember(RecordingChatClient client, string room, JoinResult joined)
    {
        Client = client;
        Room = room;
        Joined = joined;
    }

    public RecordingChatClient Client { get; }

    public string Room { get; }

    public JoinResult Joined { get; }

    public string User => Client.User;

    public string? Replica => Client.Replica;

    public bool Connected => Client.Connected;

    /// <summary>Moves by the server (rebalance, drain).</summary>
    public int Reconnects => Client.Moves;

    /// <summary>Connections lost without the server asking (none expected when nothing is rebalanced).</summary>
    public int UnexpectedCloses => Client.States.Count(s => s.State == ChatClientState.Reconnecting);

    public TimeSpan ReconnectTime => Client.ReconnectTime;

    public static async Task<RoomMember> JoinAsync(Uri gateway, string room, string user, HttpTransportType transport = HttpTransportType.WebSockets)
    {
        var client = await RecordingChatClient.StartAsync(gateway, user, configure: o => o.SignalRTransports = transport);
        try
        {
            return new RoomMember(client, room, await client.JoinAsync(room));
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    /// <summary>Sends a message; null when the connection is being moved (the caller may try again later).</summary>
    public async Task<long?> TrySendAsync(string content)
    {
        try
        {
            return await Client.SendAsync(Room, content);
        }
        catch (Exception error) when (error is ChatClientException or InvalidOperationException or IOException or TaskCanceledException)
        {
            return null;
        }
    }

    /// <summary>A round trip over the current connection (throws when it does not work).</summary>
    public async Task<long> SendAsync(string content) => (await Client.SendAsync(Room, content))!.Value;

    public bool HasSeen(long offset) => Client.HasSeen(Room, offset);

    public IReadOnlyList<string> SequenceProblems(long upTo) => Client.SequenceProblems(Room, Joined.Epoch, Joined.Offset, upTo);

    public ValueTask DisposeAsync() => Client.DisposeAsync();
}
