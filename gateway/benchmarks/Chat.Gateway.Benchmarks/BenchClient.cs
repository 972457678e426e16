using System.Collections.Concurrent;
using Chat.Server.Hubs;
using Chat.Contracts;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace Chat.Gateway.Benchmarks;

/// <summary>
/// A SignalR WebSocket client (negotiation skipped, as plain nginx setups require) in a room of its own; on a
/// `reconnect` request or a lost connection it connects again through the same proxy, like the browser client.
/// </summary>
internal sealed class BenchClient : IAsyncDisposable
{
    private readonly Uri _proxy;
    private readonly string _room;
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _waiting = new();
    private readonly CancellationTokenSource _disposed = new();
    private HubConnection _connection;
    private int _restarting;

    private BenchClient(Uri proxy, string room)
    {
        _proxy = proxy;
        _room = room;
        _connection = Build();
    }

    public int Reconnects;

    /// <summary>Connects and joins; tried again (bounded) when the connection is moved away meanwhile.</summary>
    public static async Task<BenchClient> ConnectAsync(Uri proxy, string room)
    {
        for (var attempt = 1; ; attempt++)
        {
            var client = new BenchClient(proxy, room);
            try
            {
                await client.StartAsync();
                return client;
            }
            catch (Exception) when (attempt < 5)
            {
                await client.DisposeAsync();
                await Task.Delay(200 * attempt);
            }
        }
    }

    /// <summary>Sends one message and waits until it comes back from the room; throws when the connection is moving.</summary>
    public async Task RoundTripAsync(string content)
    {
        var back = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiting[content] = back;
        try
        {
            await _connection.InvokeAsync<long>("Send", _room, content);
            await back.Task.WaitAsync(TimeSpan.FromSeconds(10));
        }
        finally
        {
            _waiting.TryRemove(content, out _);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _disposed.CancelAsync();
        await _connection.DisposeAsync();
    }

    private async Task StartAsync()
    {
        await _connection.StartAsync(_disposed.Token);
        await _connection.InvokeAsync<JoinResult>("Join", _room, _room, _disposed.Token);
    }

    private HubConnection Build()
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(_proxy, "/hub/chat"), o =>
            {
                o.SkipNegotiation = true;
                o.Transports = HttpTransportType.WebSockets;
            })
            .Build();
        connection.On<ChatMessage>("message", m =>
        {
            if (m.Content is { } content && _waiting.TryGetValue(content, out var waiter))
            {
                waiter.TrySetResult();
            }
        });
        connection.On<ReconnectRequest>("reconnect", request => { _ = Task.Run(RestartAsync); });
        connection.Closed += error =>
        {
            if (ReferenceEquals(connection, _connection) && !_disposed.IsCancellationRequested)
            {
                _ = Task.Run(RestartAsync);
            }

            return Task.CompletedTask;
        };
        return connection;
    }

    private async Task RestartAsync()
    {
        if (Interlocked.Exchange(ref _restarting, 1) == 1)
        {
            return;
        }

        try
        {
            for (var attempt = 0; attempt < 40 && !_disposed.IsCancellationRequested; attempt++)
            {
                var old = _connection;
                _connection = Build();
                await old.DisposeAsync();
                try
                {
                    await StartAsync();
                    Interlocked.Increment(ref Reconnects);
                    return;
                }
                catch (Exception) when (!_disposed.IsCancellationRequested)
                {
                    await Task.Delay(250);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            Volatile.Write(ref _restarting, 0);
        }
    }
}
