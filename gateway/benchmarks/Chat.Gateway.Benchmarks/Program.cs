using System.Globalization;
using Chat.Gateway.Benchmarks;
using Chat.Gateway.Benchmarks.DataPath;
using Chat.Testing;

if (args is [EchoServer.Command, var echoPort])
{
    await EchoServer.RunAsync(int.Parse(echoPort, CultureInfo.InvariantCulture));
    return;
}

if (args is [DataPathCommand.Name, ..])
{
    await DataPathCommand.RunAsync(args[1..]);
    return;
}


// The gateway against nginx in front of the same kind of chat replicas (fresh ones per proxy, one Redis):
// connection setup rate, round-trip latency and throughput, balance after a scale-out from 2 to 4 replicas.
var settings = BenchmarkSettings.Parse(args);
ThreadPool.SetMinThreads(256, 256);
Console.WriteLine($"clients {settings.Clients}, pingers {settings.Pingers}, {settings.Seconds} s of round trips, {settings.WatchSeconds} s watched after the scale-out, server-side rebalancing {(settings.Rebalance ? "on" : "off")}");

await using var redis = await RedisServer.StartAsync();
Task<ProxyResult> RunGateway() => new ProxyScenario(settings, redis, "gateway").RunAsync(async r => await GatewayUnderTest.StartAsync(r));
Task<ProxyResult> RunNginx() => new ProxyScenario(settings, redis, "nginx").RunAsync(async r => await NginxUnderTest.StartAsync(r));
ProxyResult gateway, nginx;
if (settings.NginxFirst)
{
    nginx = await RunNginx();
    gateway = await RunGateway();
}
else
{
    gateway = await RunGateway();
    nginx = await RunNginx();
}

Console.WriteLine();
Console.WriteLine($"{"",-34}{"gateway",12}{"nginx",12}{"gateway/nginx",16}");
void Row(string label, double g, double n, string format) =>
    Console.WriteLine($"{label,-34}{g.ToString(format),12}{n.ToString(format),12}{(n == 0 ? "-" : (g / n).ToString("0.00")),16}");
Row("connection setup (conn/s)", gateway.ConnectionsPerSecond, nginx.ConnectionsPerSecond, "0");
Row("round trip p50 (ms)", gateway.P50Ms, nginx.P50Ms, "0.00");
Row("round trip p99 (ms)", gateway.P99Ms, nginx.P99Ms, "0.00");
Row("messages/s", gateway.MessagesPerSecond, nginx.MessagesPerSecond, "0");
foreach (var at in new[] { 5.0, 10.0, 20.0, settings.WatchSeconds - 1.0 })
{
    static double RatioAt(ProxyResult r, double s) => r.BalanceAfterScaleOut.FirstOrDefault(b => b.Seconds >= s, r.BalanceAfterScaleOut[^1]).MaxOverMean;
    Row($"max/mean after scale-out, +{at:0}s", RatioAt(gateway, at), RatioAt(nginx, at), "0.00");
}

Console.WriteLine($"{"seconds to max/mean <= 1.15",-34}{gateway.SecondsToBalanced?.ToString("0.0") ?? "never",12}{nginx.SecondsToBalanced?.ToString("0.0") ?? "never",12}");
Console.WriteLine($"{"client reconnects (rebalancing)",-34}{gateway.Reconnects,12}{nginx.Reconnects,12}");
