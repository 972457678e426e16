using Chat.Server.Hubs;
using Chat.Contracts;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace Chat.Gateway.Tests.Support;

/// <summary>
/// A .NET SignalR client of one room through the gateway that behaves like the browser client on a rebalance or
/// drain: on `reconnect` (or a lost connection) it connects again through the gateway, resumes from the last
/// offset it saw, and binds its name again. It records every offset delivered to it (live or resumed) so a test
/// can assert that the sequence has no gap and no duplicate.
/// </summary>
public sealed class SequencedChatClient : IAsyncDisposable
{
    private readonly Uri _gateway;
    private readonly HttpTransportType _transport;
    private readonly Lock _lock = new();
    private readonly Dictionary<long, int> _deliveries = [];
    private readonly SemaphoreSlim _restart = new(1, 1);
    private readonly CancellationTokenSource _disposed = new();
    private HubConnection _connection;
    private long _lastOffset;
    private bool _joined;

    private SequencedChatClient(Uri gateway, string room, string user, HttpTransportType transport)
    {
        _gateway = gateway;
        Room = room;
        User = user;
        _transport = transport;
        _connection = Build();
    }

    public string Room { get; }

    public string User { get; }

    public string? Epoch { get; private set; }

    /// <summary>The offset the room was at when this client joined; the sequence it must see starts after it.</summary>
    public long StartOffset { get; private set; }

    /// <summary>The replica the current connection is on (from Join).</summary>
    public string? Replica { get; private set; }

    public int Reconnects { get; private set; }

    /// <summary>Total time spent reconnecting (from the request to move until joined again).</summary>
    private string? _secret;

    public TimeSpan ReconnectTime { get; private set; }

    /// <summary>Times the connection closed without this client asking (none expected when nothing is rebalanced).</summary>
    public int UnexpectedCloses { get; private set; }

    public bool Connected => _connection.State == HubConnectionState.Connected && Replica is not null;

    /// <summary>Connects and joins; tried again (bounded) when a rebalance moves the connection away meanwhile.</summary>
    public static async Task<SequencedChatClient> ConnectAsync(Uri gateway, string room, string user,
        HttpTransportType transport = HttpTransportType.WebSockets)
    {
        for (var attempt = 1; ; attempt++)
        {
            var client = new SequencedChatClient(gateway, room, user, transport);
            try
            {
                await client._connection.StartAsync();
                var joined = await client._connection.InvokeAsync<JoinResult>("Join", room, user);
                lock (client._lock)
                {
                    client._secret = joined.ReconnectSecret;
                    client.Epoch = joined.Epoch;
                    client.StartOffset = joined.Offset;
                    client._lastOffset = joined.Offset;
                    client.Replica = joined.Replica;
                    client._joined = true;
                }

                return client;
            }
            catch (Exception) when (attempt < 5)
            {
                await client.DisposeAsync();
                await Task.Delay(200 * attempt);
            }
        }
    }

    /// <summary>Sends a message; null when the connection is being moved (the caller may try again later).</summary>
    public async Task<long?> TrySendAsync(string content)
    {
        try
        {
            return Connected ? await _connection.InvokeAsync<long>("Send", Room, content, _disposed.Token) : null;
        }
        catch (Exception) when (!_disposed.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>A round trip over the current connection (throws when it does not work).</summary>
    public Task<long> SendAsync(string content) => _connection.InvokeAsync<long>("Send", Room, content);

    public bool HasSeen(long offset)
    {
        lock (_lock)
        {
            return _deliveries.ContainsKey(offset);
        }
    }

    /// <summary>What is wrong with the sequence (StartOffset, upTo]: missing offsets and duplicates; empty when it is complete.</summary>
    public IReadOnlyList<string> SequenceProblems(long upTo)
    {
        lock (_lock)
        {
            var problems = new List<string>();
            for (var offset = StartOffset + 1; offset <= upTo; offset++)
            {
                _deliveries.TryGetValue(offset, out var count);
                if (count != 1)
                {
                    problems.Add($"{User}: offset {offset} delivered {count} times");
                }
            }

            return problems;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _disposed.CancelAsync();
        await _connection.DisposeAsync();
    }

    private HubConnection Build()
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(_gateway, "/hub/chat"), o => o.Transports = _transport)
            .Build();
        connection.On<ChatMessage>("message", Record);
        connection.On<ReconnectRequest>("reconnect", request => { _ = Task.Run(RestartAsync); });
        connection.Closed += error =>
        {
            if (ReferenceEquals(connection, _connection) && !_disposed.IsCancellationRequested)
            {
                UnexpectedCloses++;
                _ = Task.Run(RestartAsync);
            }

            return Task.CompletedTask;
        };
        return connection;
    }

    private void Record(ChatMessage message)
    {
        if (message.Room != Room)
        {
            return;
        }

        lock (_lock)
        {
            _deliveries[message.Offset] = _deliveries.GetValueOrDefault(message.Offset) + 1;
            _lastOffset = Math.Max(_lastOffset, message.Offset);
        }
    }

    /// <summary>Connects again through the gateway (bounded attempts), resumes from the last offset, binds the name again.</summary>
    private async Task RestartAsync()
    {
        lock (_lock)
        {
            if (!_joined)
            {
                return; // Still connecting: ConnectAsync tries again if its Join fails.
            }
        }

        if (!await _restart.WaitAsync(0))
        {
            return;
        }

        var started = DateTime.UtcNow;
        try
        {
            var old = _connection;
            Replica = null;
            _connection = Build();
            await old.DisposeAsync();
            for (var attempt = 0; attempt < 60 && !_disposed.IsCancellationRequested; attempt++)
            {
                try
                {
                    await _connection.StartAsync(_disposed.Token);
                    long since;
                    lock (_lock)
                    {
                        since = _lastOffset;
                    }

                    // Join with `since` and the name's reconnection secret: what was missed, then live, same name.
                    var joined = await _connection.InvokeAsync<JoinResult>("Join", Room, User, new RoomPosition(Epoch!, since), _secret, _disposed.Token);
                    foreach (var message in joined.History)
                    {
                        Record(message);
                    }

                    Replica = joined.Replica;
                    Reconnects++;
                    ReconnectTime += DateTime.UtcNow - started;
                    return;
                }
                catch (Exception) when (!_disposed.IsCancellationRequested)
                {
                    await _connection.DisposeAsync();
                    _connection = Build();
                    await Task.Delay(250);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            _restart.Release();
        }
    }
}
