using System.Diagnostics;
using System.Globalization;
using Chat.Contracts;
using Chat.Testing;
using HdrHistogram;

namespace Chat.Gateway.Benchmarks;

/// <summary>
/// One proxy's run, on fresh replicas sharing one Redis: connection setup rate, message round trips (send, and
/// receive the message back from the room through proxy, replica, Redis), then a scale-out from 2 to 4 replicas
/// and the balance over time.
/// </summary>
internal sealed class ProxyScenario(BenchmarkSettings settings, RedisServer redis, string name)
{
    public async Task<ProxyResult> RunAsync(Func<IReadOnlyList<Uri>, Task<IProxyUnderTest>> startProxy)
    {
        var replicas = new List<ServiceProcess>();
        var clients = new List<BenchClient>();
        try
        {
            replicas.AddRange(await StartReplicasAsync(1, 2));
            await using var proxy = await startProxy(replicas.Select(r => r.BaseAddress).ToArray());
            Console.WriteLine($"[{name}] {proxy.Address}, replicas r1 r2");

            // Connection setup rate.
            var stopwatch = Stopwatch.StartNew();
            using (var gate = new SemaphoreSlim(32))
            {
                var connecting = Enumerable.Range(0, settings.Clients).Select(async i =>
                {
                    await gate.WaitAsync();
                    try
                    {
                        return await BenchClient.ConnectAsync(proxy.Address, $"{name}-{i}");
                    }
                    finally
                    {
                        gate.Release();
                    }
                }).ToArray();
                clients.AddRange(await Task.WhenAll(connecting));
            }

            var setupRate = settings.Clients / stopwatch.Elapsed.TotalSeconds;
            Console.WriteLine($"[{name}] {settings.Clients} connections at {setupRate:0} /s");

            // Round trips.
            var histogram = new LongHistogram(TimeStamp.Seconds(30), 3);
            var count = 0L;
            var failed = 0L;
            var until = DateTime.UtcNow.AddSeconds(settings.Seconds);
            await Task.WhenAll(clients.Take(settings.Pingers).Select((client, p) => Task.Run(async () =>
            {
                for (var i = 0; DateTime.UtcNow < until; i++)
                {
                    var start = Stopwatch.GetTimestamp();
                    try
                    {
                        await client.RoundTripAsync($"{p}:{i}");
                    }
                    catch (Exception) when (DateTime.UtcNow < until)
                    {
                        Interlocked.Increment(ref failed);
                        await Task.Delay(100);
                        continue;
                    }

                    var elapsed = Stopwatch.GetTimestamp() - start;
                    lock (histogram)
                    {
                        histogram.RecordValue(elapsed);
                    }

                    Interlocked.Increment(ref count);
                }
            })));
            var p50 = histogram.GetValueAtPercentile(50) * 1000.0 / Stopwatch.Frequency;
            var p99 = histogram.GetValueAtPercentile(99) * 1000.0 / Stopwatch.Frequency;
            var rate = count / (double)settings.Seconds;
            Console.WriteLine($"[{name}] round trip p50 {p50:0.00} ms, p99 {p99:0.00} ms, {rate:0} messages/s, {failed} failed round trips");

            // Scale-out: two more replicas, the proxy told about them, then the balance over time.
            replicas.AddRange(await StartReplicasAsync(3, 2));
            var scaledAt = Stopwatch.StartNew();
            await proxy.SetReplicasAsync(replicas.Select(r => r.BaseAddress).ToArray());
            var balance = new List<(double, double, string)>();
            double? balancedAfter = null;
            while (scaledAt.Elapsed.TotalSeconds < settings.WatchSeconds)
            {
                await Task.Delay(1000);
                var counts = await CountsAsync(replicas);
                var mean = counts.Sum() / (double)counts.Length;
                var ratio = mean == 0 ? 0 : counts.Max() / mean;
                var described = string.Join("/", counts);
                balance.Add((scaledAt.Elapsed.TotalSeconds, ratio, described));
                if (balancedAfter is null && ratio <= 1.15 && counts.Sum() == settings.Clients)
                {
                    balancedAfter = scaledAt.Elapsed.TotalSeconds;
                }

                Console.WriteLine($"[{name}] +{scaledAt.Elapsed.TotalSeconds:0.0}s connections {described} max/mean {ratio:0.00}");
            }

            return new ProxyResult(name, setupRate, p50, p99, rate, balance, balancedAfter, clients.Sum(c => c.Reconnects));
        }
        finally
        {
            await Task.WhenAll(clients.Select(c => c.DisposeAsync().AsTask()));
            await Task.WhenAll(replicas.Select(r => r.DisposeAsync().AsTask()));
        }
    }

    private async Task<ServiceProcess[]> StartReplicasAsync(int first, int count) =>
        await Task.WhenAll(Enumerable.Range(first, count).Select(i => ServiceProcess.StartAsync("chat-server", "Chat.Server", new Dictionary<string, string?>(OneHostLimits.ChatServer)
        {
            ["ConnectionStrings:Redis"] = redis.ConnectionString,
            ["Chat:ReplicaId"] = $"{name}-r{i}",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Balancing:Rebalance"] = settings.Rebalance ? "true" : "false",
        })));

    private static async Task<int[]> CountsAsync(IEnumerable<ServiceProcess> replicas) =>
        await Task.WhenAll(replicas.Select(async r =>
            int.Parse((await r.GetAsync("/healthz")).Headers[ChatHeaders.Connections], CultureInfo.InvariantCulture)));
}
