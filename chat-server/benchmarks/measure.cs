// The chat server beside socket.io, in one run (not a test; numbers depend on the machine). Run it with
// chat-server/benchmarks/run.sh, which installs the Node half (npm ci) and builds the server in Release first.
//   fan-out: one 200-member room over 2 server processes sharing one redis-server, for SignalR, STOMP (the chat
//            server: Redis broker, history on, rebalancing off) and socket.io 4.8 + @socket.io/redis-adapter; a burst
//            (every message sent at once, after an unmeasured warm-up burst of 300), then half the burst's rate, then one
//            rate for every system (--same-rate messages/s, so that CPU per delivery is compared under the same load); the
//            order of the systems alternates between rounds; every delivery is checked (missing, duplicated);
//   idle:    server RSS per idle connection at 5,000 connections on one server process with Redis configured;
//   --redis-cluster: the chat server's fan-out on 1 Redis node against a 3-primary Redis Cluster (6 nodes), the
//            members spread over --rooms rooms (default 6) so that the rooms fall on several shards.
// One Node process (peers/driver.js) drives every system with its own reference client, the same way.
// Server CPU is utime+stime of the server processes from /proc/<pid>/stat; Redis and the client are shown apart.
// Everything runs on loopback, on free ports, and every wait is bounded.
#:property PublishAot=false
#:project ../../testing/src/Chat.Testing/Chat.Testing.csproj

using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Chat.Testing;
using Chat.Testing.Metrics;

var options = BenchOptions.Parse(args);
var started = DateTimeOffset.UtcNow;
var fanouts = new List<FanoutResult>();
var idles = new List<IdleResult>();

if (options.RedisCluster)
{
    await using var single = await RedisServer.StartAsync();
    await using var cluster = await RedisCluster.StartAsync();
    var brokers = new[]
    {
        new Broker("1 node", single.ConnectionString, single.Port, [single.Port]),
        new Broker("cluster", cluster.ConnectionString, null, await cluster.PrimariesAsync()),
    };
    for (var round = 1; round <= options.Rounds; round++)
    {
        foreach (var system in options.Systems.Where(s => s != "socketio"))
        {
            foreach (var broker in options.InOrder(round) ? brokers : brokers.Reverse())
            {
                fanouts.AddRange(await Fanout.RunAsync(system, broker, round, options));
            }
        }
    }

    Report.PrintCluster(fanouts);
}
else
{
    await using var redis = await RedisServer.StartAsync();
    var broker = new Broker("redis", redis.ConnectionString, redis.Port, [redis.Port]);
    var systems = options.Systems;
    for (var round = 1; round <= options.Rounds; round++)
    {
        foreach (var system in options.InOrder(round) ? systems : systems.Reverse())
        {
            fanouts.AddRange(await Fanout.RunAsync(system, broker, round, options));
        }
    }

    if (options.IdleConnections > 0)
    {
        foreach (var system in options.InOrder(options.Rounds + 1) ? systems : systems.Reverse())
        {
            idles.Add(await Idle.RunAsync(system, broker, options));
        }
    }

    Report.PrintSideBySide(fanouts, idles);
}

Directory.CreateDirectory(Path.GetDirectoryName(options.JsonPath)!);
await File.WriteAllTextAsync(options.JsonPath, JsonSerializer.Serialize(new
{
    started, machine = Machine.Describe(), options, fanout = fanouts, idle = idles,
}, new JsonSerializerOptions { WriteIndented = true }));
Console.WriteLine($"run started {started:yyyy-MM-dd HH:mm} UTC, took {(DateTimeOffset.UtcNow - started).TotalSeconds:0} s; JSON: {options.JsonPath}");
return fanouts.Any(f => f.Missing > 0 || f.Duplicates > 0) ? 1 : 0;

sealed record BenchOptions(int Rounds, int Members, int Rooms, int Messages, double SameRate, int IdleConnections, bool RedisCluster, bool Reverse, string JsonPath, string[] Systems)
{
    private static readonly string[] AllSystems = ["signalr", "stomp", "socketio"];

    /// <summary>Rounds alternate the order of the systems; --reverse starts with the second order (for the next run).</summary>
    public bool InOrder(int round) => round % 2 == (Reverse ? 0 : 1);

    public static BenchOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] is "--redis-cluster" or "--reverse")
            {
                values[args[i][2..]] = "true";
            }
            else if (args[i].StartsWith("--", StringComparison.Ordinal) && i + 1 < args.Length)
            {
                values[args[i][2..]] = args[++i];
            }
            else
            {
                throw new ArgumentException($"unknown argument '{args[i]}': --rounds N --members N --rooms N --messages N --same-rate MSGS_PER_S --idle N --json PATH --systems signalr,stomp,socketio [--redis-cluster] [--reverse]");
            }
        }

        string Get(string key, string fallback) => values.GetValueOrDefault(key, fallback);
        var systems = Get("systems", string.Join(',', AllSystems)).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (systems.Length == 0 || systems.FirstOrDefault(s => !AllSystems.Contains(s)) is { } unknown)
        {
            throw new ArgumentException($"--systems takes a comma-separated list of {string.Join(", ", AllSystems)}");
        }

        var sameRate = double.Parse(Get("same-rate", "100"), System.Globalization.CultureInfo.InvariantCulture);
        if (!(sameRate > 0))
        {
            throw new ArgumentException("--same-rate takes the messages per second every system is run at, above 0");
        }

        return new BenchOptions(int.Parse(Get("rounds", "2")), int.Parse(Get("members", "200")),
            int.Parse(Get("rooms", values.ContainsKey("redis-cluster") ? "6" : "1")), int.Parse(Get("messages", "1000")),
            sameRate,
            int.Parse(Get("idle", "5000")), values.ContainsKey("redis-cluster"), values.ContainsKey("reverse"),
            Path.GetFullPath(Get("json", Path.Combine(RepoPaths.Root, "artifacts", "benchmarks", values.ContainsKey("redis-cluster") ? "chat-server-redis-cluster.json" : "chat-server-side-by-side.json"))),
            systems);
    }
}

/// <summary>A Redis to run on: its connection string, the port socket.io's adapter uses, the nodes whose CPU counts.</summary>
sealed record Broker(string Name, string ConnectionString, int? SocketIoPort, IReadOnlyList<int> Nodes);

sealed record FanoutResult(
    string System, string Broker, int Round, string Phase, double TargetRate, int Messages, long Expected, long Delivered,
    long Missing, long Duplicates, double ElapsedSeconds, double DeliveriesPerSecond, double ServerCpuSeconds,
    double ServerCpuMicrosPerDelivery, double? P50Ms, double? P99Ms, double ClientCpuSeconds, double[] RedisCpuSeconds,
    double? AllocatedBytesPerDelivery, double? GcCollections, double? GcPauseMs);

sealed record IdleResult(string System, int Connections, double RssBeforeMiB, double RssAfterMiB, double KiBPerConnection, double? ManagedHeapKiBPerConnection);

static class Fanout
{
    private const int WarmupMessages = 300;

    /// <summary>Starts the system's two servers and the driver, joins the room, runs the burst, the half-rate and the same-rate runs.</summary>
    public static async Task<FanoutResult[]> RunAsync(string system, Broker broker, int round, BenchOptions options)
    {
        Console.WriteLine($"round {round}: {system} on {broker.Name}");
        await using var servers = await Servers.StartAsync(system, broker, count: 2, $"r{round}");
        await using var driver = Driver.Start(system, servers.Urls);
        await driver.AskAsync($"members bench-{system}-{round}-{broker.Name.Replace(' ', '-')} {options.Members} {options.Rooms}", TimeSpan.FromSeconds(90));
        // Unmeasured: every system's hot paths compiled or optimised (JIT tiers, V8) before the burst counts.
        await driver.AskAsync($"run {Math.Min(options.Messages, WarmupMessages)} 0", TimeSpan.FromMinutes(2));
        var burst = await MeasureAsync(system, broker, round, "burst", options.Messages, 0, servers, driver);
        var halfRate = burst.DeliveriesPerSecond * options.Rooms / options.Members / 2;
        var half = await MeasureAsync(system, broker, round, "half", options.Messages / 2, halfRate, servers, driver);
        var same = await MeasureAsync(system, broker, round, "same rate", options.Messages / 2, options.SameRate, servers, driver);
        return [burst, half, same];
    }

    private static async Task<FanoutResult> MeasureAsync(string system, Broker broker, int round, string phase, int messages, double rate,
        Servers servers, Driver driver)
    {
        var redisPids = await Task.WhenAll(broker.Nodes.Select(RedisProcess.IdAsync));
        var serverBefore = Cpu.Seconds(servers.ProcessIds);
        var clientBefore = Cpu.Seconds([driver.ProcessId]);
        var redisBefore = redisPids.Select(p => Cpu.Seconds([p])).ToArray();
        var countersBefore = await servers.CountersAsync();
        var run = await driver.AskAsync($"run {messages} {rate:0.###}", TimeSpan.FromMinutes(2));
        var serverCpu = Cpu.Seconds(servers.ProcessIds) - serverBefore;
        var counters = RuntimeCounters.Delta(countersBefore, await servers.CountersAsync());
        var delivered = run["delivered"]!.GetValue<long>();
        var elapsed = run["elapsedMs"]!.GetValue<double>() / 1000;
        var result = new FanoutResult(system, broker.Name, round, phase, rate, messages, run["expected"]!.GetValue<long>(), delivered,
            run["missing"]!.GetValue<long>(), run["duplicates"]!.GetValue<long>(), elapsed, delivered / elapsed, serverCpu,
            serverCpu * 1e6 / Math.Max(1, delivered), run["p50Ms"]?.GetValue<double>(), run["p99Ms"]?.GetValue<double>(),
            Cpu.Seconds([driver.ProcessId]) - clientBefore, redisPids.Select((p, i) => Cpu.Seconds([p]) - redisBefore[i]).ToArray(),
            counters?.Get(RuntimeCounters.Allocated) / Math.Max(1, delivered), counters?.Get(RuntimeCounters.Collections),
            counters?.Get(RuntimeCounters.PauseSeconds) * 1000);
        Console.WriteLine($"  {phase}: {result.DeliveriesPerSecond:0} deliveries/s, {result.ServerCpuMicrosPerDelivery:0.0} µs server CPU per delivery, "
            + $"p50 {result.P50Ms:0} ms, p99 {result.P99Ms:0} ms, missing {result.Missing}, duplicated {result.Duplicates}");
        return result;
    }
}

static class Idle
{
    private const int Warmup = 50;

    /// <summary>RSS delta of one server process from 50 to 50 + N idle connections, each RSS read once it settled.</summary>
    public static async Task<IdleResult> RunAsync(string system, Broker broker, BenchOptions options)
    {
        Console.WriteLine($"idle: {system}, {options.IdleConnections} connections");
        await using var servers = await Servers.StartAsync(system, broker, count: 1, "idle");
        await using var driver = Driver.Start(system, servers.Urls);
        var pid = servers.ProcessIds[0];
        // The first connections load code and fill pools, which is not a per-connection cost.
        await driver.AskAsync($"connect {Warmup}", TimeSpan.FromSeconds(60));
        await Task.Delay(2000);
        var before = await Rss.SettledAsync(pid);
        var heapBefore = await servers.CountersAsync();
        await driver.AskAsync($"connect {options.IdleConnections}", TimeSpan.FromMinutes(3));
        await Task.Delay(3000);
        var after = await Rss.SettledAsync(pid);
        var heap = RuntimeCounters.Delta(heapBefore, await servers.CountersAsync())?.Get(RuntimeCounters.HeapSize);
        var result = new IdleResult(system, options.IdleConnections, before / 1048576.0, after / 1048576.0,
            (after - before) / 1024.0 / options.IdleConnections, heap / 1024 / options.IdleConnections);
        Console.WriteLine($"  RSS {result.RssBeforeMiB:0.0} → {result.RssAfterMiB:0.0} MiB: {result.KiBPerConnection:0.0} KiB per connection");
        return result;
    }
}

/// <summary>The server processes of one system: chat server replicas from the Release build, or socket.io under Node.</summary>
sealed class Servers : IAsyncDisposable
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };
    private readonly List<IAsyncDisposable> _processes = [];

    public List<string> Urls { get; } = [];

    public List<int> ProcessIds { get; } = [];

    /// <summary>The chat servers' runtime counters summed over the replicas (null for socket.io, which has none).</summary>
    public async Task<RuntimeCounters?> CountersAsync()
    {
        if (_processes.Count == 0 || _processes[0] is not ServiceProcess)
        {
            return null;
        }

        var bodies = await Task.WhenAll(_processes.Cast<ServiceProcess>().Select(async p => (await p.GetAsync("/metrics")).Body));
        return RuntimeCounters.Parse(bodies);
    }

    public static async Task<Servers> StartAsync(string system, Broker broker, int count, string prefix)
    {
        var servers = new Servers();
        try
        {
            for (var i = 0; i < count; i++)
            {
                if (system == "socketio")
                {
                    await servers.StartSocketIoAsync(broker.SocketIoPort ?? throw new InvalidOperationException("socket.io runs on one Redis node only"));
                }
                else
                {
                    var replica = await ServiceProcess.StartAsync("chat-server", "Chat.Server", new Dictionary<string, string?>(OneHostLimits.ChatServer)
                    {
                        ["ConnectionStrings:Redis"] = broker.ConnectionString,
                        ["Chat:ReplicaId"] = $"{prefix}-{system}-{i}",
                        ["ASPNETCORE_ENVIRONMENT"] = "Production",
                        ["Logging:LogLevel:Default"] = "Error",
                        ["Balancing:Rebalance"] = "false",
                        // The STOMP frame limit (50/s per connection) would refuse a sender's burst.
                        ["Chat:Stomp:MaxFramesPerSecond"] = "100000",
                        ["Chat:Stomp:FrameBurst"] = "100000",
                    });
                    servers._processes.Add(replica);
                    servers.Urls.Add(replica.BaseAddress.ToString().TrimEnd('/'));
                    servers.ProcessIds.Add(replica.Process.Id);
                }
            }

            return servers;
        }
        catch
        {
            await servers.DisposeAsync();
            throw;
        }
    }

    private async Task StartSocketIoAsync(int redisPort)
    {
        var port = FreePort.Next();
        var process = new ChildProcess("node", ["socketio-server.js", port.ToString(), redisPort.ToString()], workingDirectory: Driver.Folder);
        _processes.Add(process);
        var url = $"http://127.0.0.1:{port}";
        var live = await Eventually.TrueAsync(async () =>
        {
            using var response = await Http.GetAsync(url + "/healthz");
            return response.IsSuccessStatusCode;
        }, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(200));
        if (!live)
        {
            throw new InvalidOperationException("socket.io server did not start: " + process.Output);
        }

        Urls.Add(url);
        ProcessIds.Add(process.Id);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }
    }
}

/// <summary>peers/driver.js for one system: a command per line on stdin, a JSON answer per line on stdout.</summary>
sealed class Driver : IAsyncDisposable
{
    public static readonly string Folder = Path.Combine(RepoPaths.Root, "chat-server", "benchmarks", "peers");
    private readonly Process _process;
    private readonly List<string> _errors = [];

    private Driver(Process process)
    {
        _process = process;
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                lock (_errors)
                {
                    _errors.Add(line);
                }
            }
        };
        _process.BeginErrorReadLine();
    }

    public int ProcessId => _process.Id;

    public static Driver Start(string system, IEnumerable<string> urls)
    {
        if (!Directory.Exists(Path.Combine(Folder, "node_modules")))
        {
            throw new InvalidOperationException($"run `npm ci --prefix {Folder}` first (chat-server/benchmarks/run.sh does)");
        }

        var info = new ProcessStartInfo("node", ["driver.js", system, string.Join(',', urls)])
        {
            WorkingDirectory = Folder, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        return new Driver(Process.Start(info)!);
    }

    public async Task<JsonNode> AskAsync(string command, TimeSpan timeout)
    {
        await _process.StandardInput.WriteLineAsync(command);
        await _process.StandardInput.FlushAsync();
        using var cancel = new CancellationTokenSource(timeout);
        var line = await _process.StandardOutput.ReadLineAsync(cancel.Token)
            ?? throw new InvalidOperationException($"driver exited on '{command}': {string.Join('\n', _errors)}");
        var answer = JsonNode.Parse(line)!;
        return answer["event"]!.GetValue<string>() == "error"
            ? throw new InvalidOperationException($"driver failed on '{command}': {answer["message"]}")
            : answer;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await AskAsync("close", TimeSpan.FromSeconds(15));
        }
        catch (Exception e) when (e is InvalidOperationException or OperationCanceledException or IOException)
        {
        }

        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}

/// <summary>The .NET runtime's GC counters from the chat server's /metrics (System.Runtime meter), summed over labels.</summary>
sealed class RuntimeCounters(Dictionary<string, double> values)
{
    private Dictionary<string, double> Values { get; } = values;

    public const string Allocated = "dotnet_gc_heap_total_allocated_bytes_total";
    public const string Collections = "dotnet_gc_collections_total";
    public const string PauseSeconds = "dotnet_gc_pause_time_seconds_total";
    public const string HeapSize = "dotnet_gc_last_collection_heap_size_bytes";

    public double Get(string name) => Values.GetValueOrDefault(name);

    public static RuntimeCounters Parse(IEnumerable<string> bodies)
    {
        var values = new Dictionary<string, double>();
        foreach (var sample in bodies.SelectMany(PrometheusText.Parse))
        {
            if (sample.Name is Allocated or Collections or PauseSeconds or HeapSize)
            {
                values[sample.Name] = values.GetValueOrDefault(sample.Name) + sample.Value;
            }
        }

        return new RuntimeCounters(values);
    }

    public static RuntimeCounters? Delta(RuntimeCounters? before, RuntimeCounters? after) =>
        before is null || after is null ? null : new(after.Values.ToDictionary(p => p.Key, p => p.Value - before.Get(p.Key)));
}

static class Cpu
{
    // /proc counts in USER_HZ, which is 100 on Linux.
    private const double TicksPerSecond = 100;

    /// <summary>utime + stime of the processes (all their threads), in seconds.</summary>
    public static double Seconds(IEnumerable<int> processIds) => processIds.Sum(pid =>
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11]) + long.Parse(fields[12])) / TicksPerSecond;
    });
}

static class RedisProcess
{
    /// <summary>The pid of the redis-server on the port, from INFO server.</summary>
    public static async Task<int> IdAsync(int port)
    {
        using var cli = Process.Start(new ProcessStartInfo("redis-cli", ["-p", port.ToString(), "INFO", "server"]) { RedirectStandardOutput = true })!;
        var info = await cli.StandardOutput.ReadToEndAsync();
        await cli.WaitForExitAsync();
        return int.Parse(info.Split('\n').First(l => l.StartsWith("process_id:", StringComparison.Ordinal))["process_id:".Length..].Trim());
    }
}

static class Rss
{
    /// <summary>Resident set size once it stopped moving (less than 512 KiB change in a second), in bytes.</summary>
    public static async Task<long> SettledAsync(int pid)
    {
        long last = 0;
        for (var i = 0; i < 20; i++)
        {
            var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            var bytes = long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
            if (Math.Abs(bytes - last) < 512 * 1024)
            {
                return bytes;
            }

            last = bytes;
            await Task.Delay(1000);
        }

        return last;
    }
}

static class Machine
{
    public static string Describe()
    {
        var model = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim();
        return $"{Environment.ProcessorCount} CPUs, {model}, load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]} at the end";
    }
}

static class Report
{
    public static void PrintSideBySide(List<FanoutResult> fanouts, List<IdleResult> idles)
    {
        Console.WriteLine();
        Console.WriteLine($"{Machine.Describe()}; ratios are to socket.io in the same round");
        Console.WriteLine("| round | phase | system | deliveries/s | × socket.io | server CPU µs/delivery | × socket.io | p50 ms | p99 ms | client CPU s | Redis CPU s | missing/dup |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var group in fanouts.GroupBy(f => (f.Round, f.Phase)))
        {
            var peer = group.FirstOrDefault(f => f.System == "socketio");
            foreach (var f in group)
            {
                Console.WriteLine($"| {f.Round} | {f.Phase} | {f.System} | {f.DeliveriesPerSecond:0} | {Ratio(f.DeliveriesPerSecond, peer?.DeliveriesPerSecond)} | "
                    + $"{f.ServerCpuMicrosPerDelivery:0.0} | {Ratio(f.ServerCpuMicrosPerDelivery, peer?.ServerCpuMicrosPerDelivery)} | {f.P50Ms:0} | {f.P99Ms:0} | "
                    + $"{f.ClientCpuSeconds:0.00} | {f.RedisCpuSeconds.Sum():0.00} | {f.Missing}/{f.Duplicates} |");
            }
        }

        Console.WriteLine();
        Console.WriteLine("| round | phase | system | client CPU share of a core | server allocated B/delivery | GCs | GC pause ms |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        foreach (var f in fanouts)
        {
            Console.WriteLine($"| {f.Round} | {f.Phase} | {f.System} | {f.ClientCpuSeconds / f.ElapsedSeconds:0.00} | {f.AllocatedBytesPerDelivery:0} | {f.GcCollections:0} | {f.GcPauseMs:0} |");
        }

        if (idles.Count > 0)
        {
            var peer = idles.FirstOrDefault(i => i.System == "socketio");
            Console.WriteLine();
            Console.WriteLine("| idle system | connections | RSS before → after MiB | KiB per connection | × socket.io | managed heap KiB per connection |");
            Console.WriteLine("|---|---|---|---|---|---|");
            foreach (var i in idles)
            {
                Console.WriteLine($"| {i.System} | {i.Connections} | {i.RssBeforeMiB:0.0} → {i.RssAfterMiB:0.0} | {i.KiBPerConnection:0.0} | {Ratio(i.KiBPerConnection, peer?.KiBPerConnection)} | {i.ManagedHeapKiBPerConnection:0.0} |");
            }
        }
    }

    public static void PrintCluster(List<FanoutResult> fanouts)
    {
        Console.WriteLine();
        Console.WriteLine($"{Machine.Describe()}; ratios are to 1 node in the same round");
        Console.WriteLine("| round | phase | system | Redis | deliveries/s | × 1 node | server CPU µs/delivery | × 1 node | p50 ms | p99 ms | Redis CPU s per primary | missing/dup |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var group in fanouts.GroupBy(f => (f.Round, f.Phase, f.System)))
        {
            var single = group.FirstOrDefault(f => f.Broker == "1 node");
            foreach (var f in group)
            {
                Console.WriteLine($"| {f.Round} | {f.Phase} | {f.System} | {f.Broker} | {f.DeliveriesPerSecond:0} | {Ratio(f.DeliveriesPerSecond, single?.DeliveriesPerSecond)} | "
                    + $"{f.ServerCpuMicrosPerDelivery:0.0} | {Ratio(f.ServerCpuMicrosPerDelivery, single?.ServerCpuMicrosPerDelivery)} | {f.P50Ms:0} | {f.P99Ms:0} | "
                    + $"{string.Join(" / ", f.RedisCpuSeconds.Select(c => c.ToString("0.00")))} | {f.Missing}/{f.Duplicates} |");
            }
        }
    }

    private static string Ratio(double value, double? peer) => peer is > 0 ? $"{value / peer.Value:0.00}" : "—";
}
