using System.Collections.Concurrent;
using Chat.Contracts;
using Chat.Testing;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace Chat.Server.Tests.Cluster;

/// <summary>
/// Two chat-server processes on a real Redis Cluster: both stay up, rooms on every shard keep one order for every
/// subscriber, and a primary killed while clients send is replaced without losing or duplicating a confirmed message.
/// </summary>
public sealed class ClusterFailoverTests(ITestOutputHelper output) : IAsyncLifetime
{
    private RedisCluster _cluster = null!;
    private ServiceProcess _a = null!;
    private ServiceProcess _b = null!;

    public async Task InitializeAsync()
    {
        _cluster = await RedisCluster.StartAsync();
        var started = await Task.WhenAll(StartReplicaAsync("a"), StartReplicaAsync("b"));
        (_a, _b) = (started[0], started[1]);
    }

    public async Task DisposeAsync()
    {
        foreach (var replica in new[] { _a, _b })
        {
            if (replica is not null)
            {
                await replica.DisposeAsync();
            }
        }

        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }

    [Fact]
    public async Task Rooms_on_every_shard_keep_one_order_across_two_replicas()
    {
        var rooms = Enumerable.Range(0, 12).Select(i => $"order-{i}").ToArray();
        await using var onA = await Subscriber.JoinAsync(_a, rooms);
        await using var onB = await Subscriber.JoinAsync(_b, rooms);
        for (var i = 0; i < 10; i++)
        {
            await Task.WhenAll(rooms.Select(room => (i % 2 == 0 ? onA : onB).SendAsync(room, $"m{i}")));
        }

        Assert.True(await Eventually.TrueAsync(() => rooms.All(r => onA.Chats(r).Count == 10 && onB.Chats(r).Count == 10), TimeSpan.FromSeconds(30)));
        foreach (var room in rooms)
        {
            Assert.Equal(onA.Chats(room).Select(m => (m.Offset, m.Content)), onB.Chats(room).Select(m => (m.Offset, m.Content)));
            Assert.Equal(onA.Chats(room).Select(m => m.Offset).Order(), onA.Chats(room).Select(m => m.Offset));
        }

        Assert.False(_a.Process.HasExited || _b.Process.HasExited, "a chat replica stopped on the cluster");
    }

    [Fact]
    public async Task A_primary_killed_while_clients_send_loses_and_duplicates_no_confirmed_message()
    {
        const string room = "failover";
        await using var onA = await Subscriber.JoinAsync(_a, [room]);
        await using var onB = await Subscriber.JoinAsync(_b, [room]);
        var epoch = (await onA.SendAndReadEpochAsync(room, "before"));

        var confirmed = new ConcurrentBag<long>();
        var refused = new ConcurrentBag<string>();
        using var stop = new CancellationTokenSource();
        var sending = Task.Run(async () =>
        {
            for (var i = 0; i < 3_000 && !stop.IsCancellationRequested; i++)
            {
                try
                {
                    confirmed.Add(await onB.SendAsync(room, $"s{i}"));
                }
                catch (HubException e)
                {
                    refused.Add(e.Message);
                    await Task.Delay(50);
                }

                await Task.Delay(5);
            }
        });

        await Eventually.TrueAsync(() => confirmed.Count >= 50, TimeSpan.FromSeconds(30));
        await using (var redis = await ConnectionMultiplexer.ConnectAsync(_cluster.ConnectionString))
        {
            var primary = ((System.Net.IPEndPoint)redis.GetDatabase().IdentifyEndpoint($"chat:{{{room}}}:meta")!).Port;
            var killedAt = DateTime.UtcNow;
            _cluster.Kill(primary);
            var countAtKill = confirmed.Count;
            Assert.True(await Eventually.TrueAsync(_cluster.IsHealthyAsync, TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(200)), "no replica took over");
            Assert.True(await Eventually.TrueAsync(() => confirmed.Count >= countAtKill + 50, TimeSpan.FromSeconds(60)), "sending did not recover after the failover");
            output.WriteLine($"failover: cluster healthy again and sends confirmed {(DateTime.UtcNow - killedAt).TotalSeconds:0.0} s after the kill; {refused.Count} sends refused");
        }

        await stop.CancelAsync();
        await sending;
        var last = confirmed.Max();
        foreach (var subscriber in new[] { onA, onB })
        {
            Assert.True(
                await Eventually.TrueAsync(() => subscriber.Has(room, confirmed), TimeSpan.FromSeconds(30)),
                $"confirmed messages missing: {string.Join(", ", confirmed.Except(subscriber.Chats(room).Select(m => m.Offset)).Order().Take(20))} (of {confirmed.Count}, last delivered {subscriber.Chats(room).LastOrDefault()?.Offset})");
            Assert.Empty(subscriber.Duplicates(room));
            Assert.All(subscriber.Chats(room), m => Assert.Equal(epoch, m.Epoch));
        }

        output.WriteLine($"{confirmed.Count} confirmed, {refused.Count} refused, last offset {last}; refusals: {string.Join(" | ", refused.Distinct().Take(3))}");
        Assert.All(refused, reason => Assert.Contains("unavailable", reason, StringComparison.OrdinalIgnoreCase));
    }

    private Task<ServiceProcess> StartReplicaAsync(string replica) =>
        ServiceProcess.StartAsync("chat-server", "Chat.Server", new Dictionary<string, string?>
        {
            ["ConnectionStrings:Redis"] = _cluster.ConnectionString,
            ["Chat:ReplicaId"] = replica,
            ["Chat:Redis:WaitForReplicas"] = "1",
        });

    /// <summary>A SignalR client joined to rooms on one replica that records every delivery as it arrives.</summary>
    private sealed class Subscriber : IAsyncDisposable
    {
        private readonly HubConnection _connection;
        private readonly List<ChatMessage> _deliveries = [];

        private Subscriber(HubConnection connection) => _connection = connection;

        public static async Task<Subscriber> JoinAsync(ServiceProcess replica, IEnumerable<string> rooms)
        {
            var connection = new HubConnectionBuilder().WithUrl(new Uri(replica.BaseAddress, ChatHubProtocol.Path)).Build();
            var subscriber = new Subscriber(connection);
            connection.On<ChatMessage>(ChatHubProtocol.MessageEvent, subscriber.Record);
            await connection.StartAsync();
            foreach (var room in rooms)
            {
                await connection.InvokeAsync<JoinResult>(ChatHubProtocol.Join, room, "user-" + replica.Port);
            }

            return subscriber;
        }

        public Task<long> SendAsync(string room, string content) => _connection.InvokeAsync<long>(ChatHubProtocol.Send, room, content);

        public async Task<string> SendAndReadEpochAsync(string room, string content)
        {
            var offset = await SendAsync(room, content);
            await Eventually.TrueAsync(() => Chats(room).Any(m => m.Offset == offset), TimeSpan.FromSeconds(10));
            return Chats(room).Single(m => m.Offset == offset).Epoch;
        }

        public IReadOnlyList<ChatMessage> Chats(string room)
        {
            lock (_deliveries)
            {
                return _deliveries.Where(m => m.Room == room && m.Type == MessageType.CHAT).ToArray();
            }
        }

        public bool Has(string room, IEnumerable<long> offsets)
        {
            var seen = Chats(room).Select(m => m.Offset).ToHashSet();
            return offsets.All(seen.Contains);
        }

        public IReadOnlyList<long> Duplicates(string room) =>
            Chats(room).GroupBy(m => m.Offset).Where(g => g.Count() > 1).Select(g => g.Key).ToArray();

        public ValueTask DisposeAsync() => _connection.DisposeAsync();

        private void Record(ChatMessage message)
        {
            lock (_deliveries)
            {
                _deliveries.Add(message);
            }
        }
    }
}
