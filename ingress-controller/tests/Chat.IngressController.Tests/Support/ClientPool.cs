using System.Collections.Concurrent;
using Chat.Client;

namespace Chat.IngressController.Tests.Support;

/// <summary>
/// Chat clients (Chat.Client, SignalR over WebSockets) through the controller; each reconnects through it by
/// itself whenever its connection ends, as the browser and load-test clients do. It records on which replica every
/// connection landed, and why connections ended.
/// </summary>
public sealed class ClientPool : IAsyncDisposable
{
    private readonly int _port;
    private readonly string? _host;
    private readonly ConcurrentBag<ChatClient> _clients = [];
    private int _reconnects;

    private ClientPool(int port, string? host)
    {
        _port = port;
        _host = host;
    }

    /// <summary>Every connection made, with when and on which replica.</summary>
    public ConcurrentQueue<(DateTime At, string Replica)> Connections { get; } = new();

    /// <summary>Why connections ended: the server's reason for a move, or what was lost.</summary>
    public ConcurrentQueue<string> Ends { get; } = new();

    public int Reconnects => Volatile.Read(ref _reconnects);

    /// <summary>Opens clients to the controller's port; <paramref name="host"/> is the Host header (a rule's host), none = the address.</summary>
    public static async Task<ClientPool> OpenAsync(int port, int count, string? host = null)
    {
        var pool = new ClientPool(port, host);
        await pool.OpenMoreAsync(count);
        return pool;
    }

    /// <summary>Opens more clients (twenty at a time); returns the replica each one landed on.</summary>
    public async Task<IReadOnlyList<string>> OpenMoreAsync(int count)
    {
        var replicas = new List<string>();
        for (var batch = 0; batch < count; batch += 20)
        {
            replicas.AddRange(await Task.WhenAll(Enumerable.Range(batch, Math.Min(20, count - batch)).Select(_ => OpenAsync())));
        }

        return replicas;
    }

    /// <summary>Connected clients per replica.</summary>
    public Dictionary<string, int> Counts() =>
        _clients.Where(c => c.State == ChatClientState.Connected && c.Replica is not null)
            .GroupBy(c => c.Replica!).ToDictionary(g => g.Key, g => g.Count());

    public async ValueTask DisposeAsync() => await Task.WhenAll(_clients.Select(c => c.DisposeAsync().AsTask()));

    private async Task<string> OpenAsync()
    {
        var client = new ChatClient(new ChatClientOptions { BaseUrl = new Uri($"http://127.0.0.1:{_port}/"), HostHeader = _host, User = "pool" });
        var connectedBefore = false;
        client.StateChanged += change =>
        {
            if (change.State == ChatClientState.Connected)
            {
                Connections.Enqueue((DateTime.UtcNow, change.Replica ?? "?"));
                if (connectedBefore)
                {
                    Interlocked.Increment(ref _reconnects);
                }

                connectedBefore = true;
            }
            else if (change.State is ChatClientState.Moved or ChatClientState.Reconnecting)
            {
                Ends.Enqueue($"{change.State}: {change.Reason}");
            }
        };
        _clients.Add(client);
        await client.StartAsync().WaitAsync(TimeSpan.FromSeconds(20));
        return client.Replica ?? "?";
    }
}
