using System.Collections.Concurrent;
using Chat.Client;

namespace Chat.Gateway.Benchmarks;

/// <summary>
/// A Chat.Client SignalR client (WebSockets, negotiation skipped, as plain nginx setups require) in a room of its
/// own; it moves and resumes by itself on a `reconnect` request or a lost connection, through the same proxy.
/// </summary>
internal sealed class BenchClient : IAsyncDisposable
{
    private readonly ChatClient _client;
    private readonly string _room;
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _waiting = new();
    private int _connections;

    private BenchClient(Uri proxy, string room)
    {
        _room = room;
        _client = new ChatClient(new ChatClientOptions { BaseUrl = proxy, User = room });
        _client.MessageReceived += m =>
        {
            if (m.Content is { } content && _waiting.TryGetValue(content, out var waiter))
            {
                waiter.TrySetResult();
            }
        };
        _client.StateChanged += s =>
        {
            if (s.State == ChatClientState.Connected)
            {
                Interlocked.Increment(ref _connections);
            }
        };
    }

    public int Reconnects => Math.Max(0, Volatile.Read(ref _connections) - 1);

    public static async Task<BenchClient> ConnectAsync(Uri proxy, string room)
    {
        var client = new BenchClient(proxy, room);
        try
        {
            await client._client.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));
            await client._client.JoinAsync(room).WaitAsync(TimeSpan.FromSeconds(30));
            return client;
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    /// <summary>Sends one message and waits until it comes back from the room; throws when the connection is moving.</summary>
    public async Task RoundTripAsync(string content)
    {
        var back = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiting[content] = back;
        try
        {
            await _client.SendAsync(_room, content);
            await back.Task.WaitAsync(TimeSpan.FromSeconds(10));
        }
        finally
        {
            _waiting.TryRemove(content, out _);
        }
    }

    public ValueTask DisposeAsync() => _client.DisposeAsync();
}
