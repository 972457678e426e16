using Chat.Gateway.Tests.Support;
using Chat.Testing;
using Microsoft.AspNetCore.Http.Connections;

namespace Chat.Gateway.Tests;

/// <summary>SignalR's negotiate and its non-WebSocket transports stay on the replica that issued the connection token.</summary>
[Collection(ProcessCollection.Name)]
public sealed class TransportTests
{
    [Fact]
    public async Task Long_polling_and_server_sent_events_work_through_the_gateway_with_three_replicas()
    {
        // Rebalancing off: a client moved on purpose would hide whether affinity kept every transport on its replica.
        await using var cluster = await ChatCluster.StartAsync(replicas: 3, redis: true,
            replicaSettings: new Dictionary<string, string?> { ["Balancing:Rebalance"] = "false" });
        var clients = new List<RoomMember>();
        try
        {
            foreach (var (transport, i) in new[] { HttpTransportType.LongPolling, HttpTransportType.ServerSentEvents, HttpTransportType.WebSockets }
                         .SelectMany(t => Enumerable.Range(0, 4).Select(i => (t, i))))
            {
                clients.Add(await RoomMember.JoinAsync(cluster.Gateway.BaseAddress, "transports", $"{transport}-{i}", transport));
            }

            Assert.Equal(3, clients.Select(c => c.Replica).Distinct().Count());
            long last = 0;
            for (var round = 0; round < 3; round++)
            {
                foreach (var client in clients)
                {
                    last = await client.SendAsync($"{client.User} {round}");
                }
            }

            Assert.True(await Eventually.TrueAsync(() => clients.All(c => c.HasSeen(last)), TimeSpan.FromSeconds(15)),
                "not every client got every message: " + string.Join(", ", clients.Where(c => !c.HasSeen(last)).Select(c => c.User)));
            Assert.All(clients, c => Assert.Empty(c.SequenceProblems(last)));
            Assert.All(clients, c => Assert.Equal(0, c.Reconnects + c.UnexpectedCloses));
        }
        finally
        {
            await Task.WhenAll(clients.Select(c => c.DisposeAsync().AsTask()));
        }
    }
}
