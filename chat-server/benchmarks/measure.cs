// Measures the chat server by hand (not a test; numbers depend on the machine):
//   fan-out: messages/s delivered in one 200-member room spread over two replicas sharing one redis-server;
//   idle:    server memory per idle SignalR connection at 5,000 connections on one replica.
// Run from the repository root after `dotnet build chat-server/src/Chat.Server -c Release`, with
// CHAT_BUILD_CONFIGURATION=Release so that the Release build is started:
//   dotnet run chat-server/benchmarks/measure.cs -- fanout [members=200] [messages=500]
//   dotnet run chat-server/benchmarks/measure.cs -- idle [connections=5000]
// Everything runs on loopback, on free ports, and every loop is bounded in time.
#:property PublishAot=false
#:project ../../testing/src/Chat.Testing/Chat.Testing.csproj
#:project ../../client/src/Chat.Client/Chat.Client.csproj

using System.Diagnostics;
using Chat.Client;
using Chat.Contracts;
using Chat.Testing;

var mode = args.ElementAtOrDefault(0) ?? "fanout";
var limit = TimeSpan.FromMinutes(3);
using var deadline = new CancellationTokenSource(limit);

if (mode == "fanout")
{
    var members = int.Parse(args.ElementAtOrDefault(1) ?? "200");
    var messages = int.Parse(args.ElementAtOrDefault(2) ?? "500");
    await using var redis = await RedisServer.StartAsync();
    await using var a = await StartReplicaAsync("a", redis);
    await using var b = await StartReplicaAsync("b", redis);

    var received = 0L;
    var done = new TaskCompletionSource();
    var expected = (long)members * messages;
    var clients = new List<ChatClient>();
    for (var i = 0; i < members; i++)
    {
        var client = new ChatClient(new ChatClientOptions { BaseUrl = i % 2 == 0 ? a.BaseAddress : b.BaseAddress, User = $"member{i}" });
        client.MessageReceived += m =>
        {
            if (m.Type == MessageType.CHAT && Interlocked.Increment(ref received) == expected)
            {
                done.TrySetResult();
            }
        };
        await client.StartAsync(deadline.Token);
        await client.JoinAsync("bench", deadline.Token);
        clients.Add(client);
    }

    var senders = Math.Min(10, members);
    Console.WriteLine($"{members} members joined (half on each replica); {senders} of them (on both replicas) send {messages} messages in all");
    var stopwatch = Stopwatch.StartNew();
    // Up to 4 sends in flight per sender (SignalR runs one connection's invocations one at a time).
    using var inFlight = new SemaphoreSlim(4 * senders);
    var sends = Enumerable.Range(0, messages).Select(async n =>
    {
        await inFlight.WaitAsync(deadline.Token);
        try
        {
            await clients[n % senders].SendAsync("bench", $"message {n}", deadline.Token);
        }
        finally
        {
            inFlight.Release();
        }
    }).ToArray();
    await Task.WhenAll(sends);
    var sent = stopwatch.Elapsed;
    await done.Task.WaitAsync(deadline.Token);
    var elapsed = stopwatch.Elapsed;
    Console.WriteLine($"accepted {messages} sends in {sent.TotalSeconds:0.00} s ({messages / sent.TotalSeconds:0} msg/s in)");
    Console.WriteLine($"delivered {expected} messages to {members} members in {elapsed.TotalSeconds:0.00} s: {expected / elapsed.TotalSeconds:0} msg/s delivered");
    foreach (var client in clients)
    {
        await client.DisposeAsync();
    }
}
else if (mode == "idle")
{
    var count = int.Parse(args.ElementAtOrDefault(1) ?? "5000");
    await using var server = await StartReplicaAsync("idle", redis: null);
    var pid = server.Process.Id;
    var clients = new List<ChatClient>();
    // Warm up: the first connections load code and fill pools, which is not per-connection cost.
    for (var i = 0; i < 50; i++)
    {
        clients.Add(await ConnectAsync(server, deadline.Token));
    }

    await Task.Delay(2000);
    var before = await SettledRssAsync(server);
    using (var gate = new SemaphoreSlim(64))
    {
        var connecting = Enumerable.Range(0, count).Select(async _ =>
        {
            await gate.WaitAsync(deadline.Token);
            try
            {
                var client = await ConnectAsync(server, deadline.Token);
                lock (clients)
                {
                    clients.Add(client);
                }
            }
            finally
            {
                gate.Release();
            }
        }).ToArray();
        await Task.WhenAll(connecting);
    }

    await Task.Delay(3000);
    var after = await SettledRssAsync(server);
    var metrics = (await server.GetAsync("/metrics")).Body.Split('\n').FirstOrDefault(l => l.StartsWith("chat_connections_active{", StringComparison.Ordinal));
    Console.WriteLine($"server pid {pid}: {metrics}");
    Console.WriteLine($"RSS with 50 connections: {before / 1048576.0:0.0} MiB; with {count + 50}: {after / 1048576.0:0.0} MiB");
    Console.WriteLine($"memory per idle connection: {(after - before) / (double)count / 1024:0.0} KiB (RSS delta / {count}, workstation GC, RSS settled)");
    await Task.WhenAll(clients.Select(c => c.DisposeAsync().AsTask()));
}
else
{
    Console.Error.WriteLine("usage: measure.cs fanout [members] [messages] | idle [connections]");
    return 2;
}

return 0;

static Task<ServiceProcess> StartReplicaAsync(string replica, RedisServer? redis) =>
    ServiceProcess.StartAsync("chat-server", "Chat.Server", new Dictionary<string, string?>(OneHostLimits.ChatServer)
    {
        ["ConnectionStrings:Redis"] = redis?.ConnectionString,
        ["Chat:ReplicaId"] = replica,
        ["ASPNETCORE_ENVIRONMENT"] = "Production",
        ["Logging:LogLevel:Default"] = "Error",
    });

static async Task<ChatClient> ConnectAsync(ServiceProcess server, CancellationToken cancellationToken)
{
    var client = new ChatClient(new ChatClientOptions { BaseUrl = server.BaseAddress, User = "idle" });
    await client.StartAsync(cancellationToken);
    return client;
}

// Resident set size of the server once it stopped moving (less than 512 KiB change in a second).
static async Task<long> SettledRssAsync(ServiceProcess server)
{
    long last = 0;
    for (var i = 0; i < 20; i++)
    {
        var rss = File.ReadLines($"/proc/{server.Process.Id}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        var kb = long.Parse(rss.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
        if (Math.Abs(kb - last) < 512 * 1024)
        {
            return kb;
        }

        last = kb;
        await Task.Delay(1000);
    }

    return last;
}
