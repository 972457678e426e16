using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Chat.Server.Tests.Contract;

/// <summary>
/// A SignalR client written from the documented contract alone (DESIGN.md "SignalR hub", SignalR's JSON hub
/// protocol), using no project code: negotiate, a WebSocket, JSON messages separated by 0x1E. It records every
/// delivery as it arrives (Join's history and `message` events) without de-duplicating, so a test sees exactly
/// what the server sent.
/// </summary>
internal sealed class RawSignalRClient : IAsyncDisposable
{
    private const char RecordSeparator = '\u001e';

    private readonly ClientWebSocket _socket = new();
    private readonly Dictionary<string, TaskCompletionSource<JsonNode?>> _pending = [];
    private readonly TaskCompletionSource<string> _moved = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Action<JsonNode> _onDelivery;
    private int _invocations;
    private Task _reader = Task.CompletedTask;

    private RawSignalRClient(string connectionId, Action<JsonNode> onDelivery)
    {
        ConnectionId = connectionId;
        _onDelivery = onDelivery;
    }

    public string ConnectionId { get; }

    /// <summary>Completes with the reason when the server asked this client to reconnect (or closed the socket).</summary>
    public Task<string> Moved => _moved.Task;

    public static async Task<RawSignalRClient> ConnectAsync(Uri server, Action<JsonNode> onDelivery)
    {
        using var http = new HttpClient { BaseAddress = server };
        var negotiate = await http.PostAsync("/hub/chat/negotiate?negotiateVersion=1", null);
        negotiate.EnsureSuccessStatusCode();
        var body = (await negotiate.Content.ReadFromJsonAsync<JsonObject>())!;
        var client = new RawSignalRClient((string)body["connectionId"]!, onDelivery);
        var token = Uri.EscapeDataString((string)body["connectionToken"]!);
        await client._socket.ConnectAsync(new Uri($"ws://{server.Authority}/hub/chat?id={token}"), CancellationToken.None);
        await client.SendTextAsync("{\"protocol\":\"json\",\"version\":1}" + RecordSeparator);
        var handshake = await client.ReceiveRecordsAsync();
        Assert.Equal("{}", handshake[0]);
        client._reader = client.ReadLoopAsync();
        return client;
    }

    /// <summary>
    /// Invokes Join(room, user, since, secret) and records the history it returns; returns the result, whose
    /// `reconnectSecret` keeps the name for the next connection.
    /// </summary>
    public async Task<JsonNode> JoinAsync(string room, string user, string? epoch, long offset, string? secret = null)
    {
        JsonNode? since = epoch is null ? null : new JsonObject { ["epoch"] = epoch, ["offset"] = offset };
        var result = (await InvokeAsync("Join", room, user, since, secret))!;
        foreach (var message in result["history"]!.AsArray())
        {
            _onDelivery(message!);
        }

        return result;
    }

    public async Task<long> SendAsync(string room, string content) => (long)(await InvokeAsync("Send", room, content))!;

    public async ValueTask DisposeAsync()
    {
        _socket.Abort();
        await _reader;
        _socket.Dispose();
    }

    private async Task<JsonNode?> InvokeAsync(string target, params JsonNode?[] arguments)
    {
        var id = Interlocked.Increment(ref _invocations).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var completion = new TaskCompletionSource<JsonNode?>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_pending)
        {
            _pending[id] = completion;
        }

        var invocation = new JsonObject { ["type"] = 1, ["invocationId"] = id, ["target"] = target, ["arguments"] = new JsonArray(arguments) };
        await SendTextAsync(invocation.ToJsonString() + RecordSeparator);
        return await completion.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    private async Task ReadLoopAsync()
    {
        try
        {
            while (true)
            {
                foreach (var record in await ReceiveRecordsAsync())
                {
                    Handle(JsonNode.Parse(record)!);
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException or EndOfStreamException)
        {
        }
        finally
        {
            _moved.TrySetResult("closed");
            lock (_pending)
            {
                foreach (var pending in _pending.Values)
                {
                    pending.TrySetException(new WebSocketException("connection closed"));
                }
            }
        }
    }

    private void Handle(JsonNode message)
    {
        switch ((int)message["type"]!)
        {
            case 1 when (string)message["target"]! == "message":
                _onDelivery(message["arguments"]![0]!);
                break;
            case 1 when (string)message["target"]! == "reconnect":
                _moved.TrySetResult((string)message["arguments"]![0]!["reason"]!);
                break;
            case 3:
                TaskCompletionSource<JsonNode?>? completion;
                lock (_pending)
                {
                    _pending.Remove((string)message["invocationId"]!, out completion);
                }

                if (message["error"] is { } error)
                {
                    completion?.TrySetException(new InvalidOperationException((string)error!));
                }
                else
                {
                    completion?.TrySetResult(message["result"]?.DeepClone());
                }

                break;
            case 7:
                throw new EndOfStreamException("server closed the hub connection");
        }
    }

    private async Task<List<string>> ReceiveRecordsAsync()
    {
        var text = new StringBuilder();
        var buffer = new byte[16 * 1024];
        while (true)
        {
            var received = await _socket.ReceiveAsync(buffer, CancellationToken.None);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                throw new EndOfStreamException("WebSocket closed");
            }

            text.Append(Encoding.UTF8.GetString(buffer, 0, received.Count));
            if (received.EndOfMessage && text.Length > 0 && text[^1] == RecordSeparator)
            {
                return [.. text.ToString().Split(RecordSeparator, StringSplitOptions.RemoveEmptyEntries)];
            }
        }
    }

    private readonly SemaphoreSlim _sendLock = new(1, 1);

    private async Task SendTextAsync(string text)
    {
        await _sendLock.WaitAsync();
        try
        {
            await _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        }
        finally
        {
            _sendLock.Release();
        }
    }
}
