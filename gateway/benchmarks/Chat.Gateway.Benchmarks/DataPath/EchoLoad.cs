using System.Diagnostics;
using System.Net.Http;
using System.Net.WebSockets;
using HdrHistogram;

namespace Chat.Gateway.Benchmarks.DataPath;

/// <summary>
/// The client side of the data-path benchmark: WebSocket setups through a proxy to the echo backend, and closed-loop
/// round trips (send one message, wait for it to come back, send the next) on a fixed set of connections.
/// </summary>
internal sealed class EchoLoad(Uri echo)
{
    /// <summary>A round trip longer than this counts as a stall.</summary>
    public const double StallMs = 50;

    private static readonly HttpMessageInvoker Invoker = new(new SocketsHttpHandler { UseProxy = false });

    /// <summary>Opens <paramref name="count"/> WebSockets, <paramref name="concurrency"/> at a time; handshakes per second.</summary>
    public async Task<double> SetupRateAsync(int count, int concurrency)
    {
        var sockets = new ClientWebSocket[count];
        var next = -1;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < count; i = Interlocked.Increment(ref next))
            {
                sockets[i] = await ConnectAsync();
            }
        })));
        var rate = count / watch.Elapsed.TotalSeconds;
        await Task.WhenAll(sockets.Select(CloseAsync));
        return rate;
    }

    /// <summary>
    /// Round trips on <paramref name="connections"/> WebSockets: for <paramref name="warmup"/> unrecorded, then
    /// recorded for <paramref name="duration"/>, with CPU sampled at both ends of the recorded window.
    /// </summary>
    public async Task<EchoSample> ClosedLoopAsync(int connections, int messageBytes, TimeSpan warmup, TimeSpan duration, CpuProbe cpu, double setupRate)
    {
        var sockets = await Task.WhenAll(Enumerable.Range(0, connections).Select(_ => ConnectAsync()));
        var start = Stopwatch.GetTimestamp();
        var from = start + (long)(warmup.TotalSeconds * Stopwatch.Frequency);
        var until = from + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var tenths = new long[(int)Math.Ceiling(duration.TotalSeconds * 10) + 1];
        var loops = sockets.Select(socket => Task.Run(() => LoopAsync(socket, messageBytes, from, until, tenths))).ToArray();

        await Task.Delay(TimeSpan.FromTicks(Math.Max(0, (from - Stopwatch.GetTimestamp()) * TimeSpan.TicksPerSecond / Stopwatch.Frequency)));
        var before = cpu.Take();
        await Task.Delay(TimeSpan.FromTicks(Math.Max(0, (until - Stopwatch.GetTimestamp()) * TimeSpan.TicksPerSecond / Stopwatch.Frequency)));
        var after = cpu.Take();
        var results = await Task.WhenAll(loops);
        await Task.WhenAll(sockets.Select(CloseAsync));

        var histogram = new LongHistogram(TimeStamp.Seconds(60), 3);
        long count = 0, total = 0, stalls = 0;
        foreach (var result in results)
        {
            histogram.Add(result.Histogram);
            count += result.Count;
            total += result.TotalTicks;
            stalls += result.Stalls;
        }

        return count == 0
            ? throw new InvalidOperationException("no round trip completed")
            : new EchoSample(setupRate, histogram, count, total, stalls, tenths[..^1].Min() * 10.0, duration.TotalSeconds, before, after);
    }

    private static async Task<LoopResult> LoopAsync(ClientWebSocket socket, int messageBytes, long from, long until, long[] tenths)
    {
        var message = new byte[messageBytes];
        Random.Shared.NextBytes(message);
        var buffer = new byte[Math.Max(4096, messageBytes)];
        var histogram = new LongHistogram(TimeStamp.Seconds(60), 3);
        long count = 0, total = 0, stalls = 0;
        var stallTicks = (long)(StallMs / 1000 * Stopwatch.Frequency);
        while (true)
        {
            var sent = Stopwatch.GetTimestamp();
            if (sent >= until)
            {
                return new LoopResult(histogram, count, total, stalls);
            }

            await socket.SendAsync(message, WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None);
            var received = 0;
            while (received < messageBytes)
            {
                var result = await socket.ReceiveAsync(buffer.AsMemory(received), CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    throw new InvalidOperationException("the proxy closed a WebSocket during the round trips");
                }

                received += result.Count;
            }

            var back = Stopwatch.GetTimestamp();
            if (sent >= from && back <= until)
            {
                var elapsed = back - sent;
                histogram.RecordValue(elapsed);
                count++;
                total += elapsed;
                stalls += elapsed > stallTicks ? 1 : 0;
                Interlocked.Increment(ref tenths[(int)((back - from) * 10 / Stopwatch.Frequency)]);
            }
        }
    }

    private async Task<ClientWebSocket> ConnectAsync()
    {
        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await socket.ConnectAsync(echo, Invoker, timeout.Token);
        return socket;
    }

    private static async Task CloseAsync(ClientWebSocket socket)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // Closing is not measured; a socket the proxy already dropped is simply gone.
        }
        finally
        {
            socket.Dispose();
        }
    }

    private sealed record LoopResult(LongHistogram Histogram, long Count, long TotalTicks, long Stalls);
}
