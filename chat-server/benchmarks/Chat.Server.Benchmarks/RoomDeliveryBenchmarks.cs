using System.Net.WebSockets;
using System.Text;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Chat.Contracts;
using Chat.Testing;

namespace Chat.Server.Benchmarks;

/// <summary>
/// STOMP messages delivered per second in one room: a chat-server process (in-memory broker, its build output),
/// <see cref="Members"/> STOMP subscribers on real loopback WebSockets, one sender. One operation is one MESSAGE
/// frame received by one subscriber, so messages/s = 1 s / mean. Bounded: 100 messages per invocation. The
/// subscribers only count MESSAGE frames (no parsing, unlike Chat.Client), so the client side stays cheap on the
/// cores it shares with the server.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 2, iterationCount: 10, invocationCount: 1)]
public class RoomDeliveryBenchmarks
{
    private const int MessagesPerInvocation = 100;
    private const string Room = "bench";
    private readonly List<ClientWebSocket> _subscribers = [];
    private readonly List<Task> _readers = [];
    private ServiceProcess _server = null!;
    private ClientWebSocket _sender = null!;
    private long _received;
    private long _target;
    private TaskCompletionSource _reached = new();

    [Params(200)]
    public int Members { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _server = await ServiceProcess.StartAsync("chat-server", "Chat.Server", new Dictionary<string, string?>(OneHostLimits.ChatServer)
        {
            ["Chat:Stomp:MaxFramesPerSecond"] = "1000000",
            ["Chat:Stomp:FrameBurst"] = "1000000",
            ["Chat:Stomp:HeartBeatSendMilliseconds"] = "0",
            ["Chat:Stomp:HeartBeatReceiveMilliseconds"] = "0",
        });
        for (var i = 0; i < Members; i++)
        {
            var socket = await OpenAsync();
            await SendAsync(socket, $"SUBSCRIBE\nid:0\ndestination:{StompDestination.TopicOf(Room)}\nreceipt:ready\n\n\0");
            await ReadUntilAsync(socket, "RECEIPT");
            _subscribers.Add(socket);
            _readers.Add(Task.Run(() => CountMessagesAsync(socket)));
        }

        _sender = await OpenAsync();
        await SendAsync(_sender, $"SEND\ndestination:{StompDestination.AddUserOf(Room)}\nreceipt:joined\n\n{{\"sender\":\"bench\",\"type\":\"JOIN\"}}\0");
        await ReadUntilAsync(_sender, "RECEIPT");
        await Eventually.TrueAsync(() => Interlocked.Read(ref _received) >= Members, TimeSpan.FromSeconds(30)); // everyone saw the JOIN
    }

    [IterationSetup]
    public void ArmTarget()
    {
        _reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Interlocked.Exchange(ref _target, Interlocked.Read(ref _received) + ((long)Members * MessagesPerInvocation));
    }

    [Benchmark(OperationsPerInvoke = 200 * MessagesPerInvocation)]
    public async Task DeliverToEveryMember()
    {
        var frames = new StringBuilder();
        for (var i = 0; i < MessagesPerInvocation; i++)
        {
            frames.Append($"SEND\ndestination:{StompDestination.SendMessageOf(Room)}\n\n{{\"content\":\"benchmark message {i}\"}}\0");
        }

        await SendAsync(_sender, frames.ToString());
        await _reached.Task.WaitAsync(TimeSpan.FromSeconds(60));
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        foreach (var socket in _subscribers.Append(_sender))
        {
            socket.Abort();
            socket.Dispose();
        }

        await Task.WhenAll(_readers);
        await _server.DisposeAsync();
    }

    private async Task<ClientWebSocket> OpenAsync()
    {
        var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol("v12.stomp");
        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{_server.Port}/ws"), CancellationToken.None);
        await SendAsync(socket, "CONNECT\naccept-version:1.2\nhost:bench\n\n\0");
        await ReadUntilAsync(socket, "CONNECTED");
        return socket;
    }

    private static Task SendAsync(ClientWebSocket socket, string frames) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(frames), WebSocketMessageType.Text, true, CancellationToken.None);

    private static async Task ReadUntilAsync(ClientWebSocket socket, string command)
    {
        var buffer = new byte[8192];
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, CancellationToken.None);
            if (Encoding.UTF8.GetString(buffer, 0, result.Count).StartsWith(command, StringComparison.Ordinal))
            {
                return;
            }
        }
    }

    /// <summary>The server writes one frame per WebSocket message: count those that are MESSAGE frames.</summary>
    private async Task CountMessagesAsync(ClientWebSocket socket)
    {
        var buffer = new byte[8192];
        try
        {
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer, CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                if (result.Count >= 7 && buffer.AsSpan(0, 7).SequenceEqual("MESSAGE"u8)
                    && Interlocked.Increment(ref _received) == Interlocked.Read(ref _target))
                {
                    _reached.TrySetResult();
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }
}
