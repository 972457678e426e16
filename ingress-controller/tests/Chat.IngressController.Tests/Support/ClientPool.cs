using System.Collections.Concurrent;

namespace Chat.IngressController.Tests.Support;

/// <summary>
/// Chat clients through the controller that reconnect (through the controller) whenever their socket is closed,
/// as the browser and load-test clients do; it records on which replica every connection landed.
/// </summary>
public sealed class ClientPool : IAsyncDisposable
{
    private readonly int _port;
    private readonly HubSocket?[] _sockets;
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;

    private ClientPool(int port, int count)
    {
        _port = port;
        _sockets = new HubSocket?[count];
    }

    /// <summary>Every connection made, with when and on which replica.</summary>
    public ConcurrentQueue<(DateTime At, string Replica)> Connections { get; } = new();

    public int Reconnects { get; private set; }

    public static async Task<ClientPool> OpenAsync(int port, int count)
    {
        var pool = new ClientPool(port, count);
        for (var i = 0; i < count; i++)
        {
            pool._sockets[i] = await pool.ConnectAsync();
        }

        pool._loop = Task.Run(pool.KeepConnectedAsync);
        return pool;
    }

    /// <summary>Adds more clients to the pool's count (opened now).</summary>
    public async Task<IReadOnlyList<string>> OpenMoreAsync(int count)
    {
        var replicas = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var socket = await ConnectAsync();
            replicas.Add(socket.Replica);
            _extra.Add(socket);
        }

        return replicas;
    }

    private readonly ConcurrentBag<HubSocket> _extra = [];

    /// <summary>Open connections per replica.</summary>
    public Dictionary<string, int> Counts() =>
        _sockets.Concat(_extra).Where(s => s is { Closed: false }).GroupBy(s => s!.Replica).ToDictionary(g => g.Key, g => g.Count());

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop.ContinueWith(_ => { }, TaskScheduler.Default);
        await Task.WhenAll(_sockets.Concat(_extra).Where(s => s is not null).Select(s => s!.DisposeAsync().AsTask()));
        _stop.Dispose();
    }

    private async Task<HubSocket> ConnectAsync()
    {
        var socket = await HubSocket.ConnectAsync(_port, _stop.Token);
        Connections.Enqueue((DateTime.UtcNow, socket.Replica));
        return socket;
    }

    private async Task KeepConnectedAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            for (var i = 0; i < _sockets.Length && !_stop.IsCancellationRequested; i++)
            {
                if (_sockets[i] is { Closed: true } closed)
                {
                    await closed.DisposeAsync();
                    _sockets[i] = null;
                }

                if (_sockets[i] is null)
                {
                    try
                    {
                        _sockets[i] = await ConnectAsync();
                        Reconnects++;
                    }
                    catch (Exception) when (!_stop.IsCancellationRequested)
                    {
                        // Retried on the next round, like a client's reconnect backoff.
                    }
                }
            }

            try
            {
                await Task.Delay(100, _stop.Token);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }
}
