using Chat.Gateway.Tests.Support;
using Chat.Testing;
using Chat.Testing.Metrics;
using Xunit.Abstractions;

namespace Chat.Gateway.Tests;

/// <summary>Least connections is cluster-wide: two gateways balance by what the replicas report, not only by their own sockets.</summary>
[Collection(ProcessCollection.Name)]
public sealed class TwoGatewayTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Two_gateways_in_front_of_the_same_replicas_fill_the_least_loaded_ones()
    {
        // In memory: no rebalancing, so the balance is the gateways' doing alone.
        await using var cluster = await ChatCluster.StartAsync(replicas: 3, redis: false, gateways: 2);
        // 60 clients already on r1 (connected directly, as if from before a scale-out); neither gateway carries them.
        await using var old = await RoomTraffic.ConnectAsync(cluster.Replicas["r1"].BaseAddress, clients: 60, rooms: 2, prefix: "old");
        foreach (var gateway in cluster.Gateways)
        {
            Assert.True(await Eventually.TrueAsync(async () => ReportedConnections(await gateway.GetAsync("/metrics"), "r1") == 60, TimeSpan.FromSeconds(30)),
                "a gateway never saw r1 report its 60 connections");
        }

        // 120 new clients, alternately through either gateway.
        var connecting = Enumerable.Range(0, 2).Select(g =>
            RoomTraffic.ConnectAsync(cluster.Gateways[g].BaseAddress, clients: 60, rooms: 2, prefix: $"gw{g}", parallelism: 10)).ToArray();
        var viaGateways = await Task.WhenAll(connecting);
        try
        {
            var counts = await cluster.ConnectionCountsAsync();
            output.WriteLine(ChatCluster.Describe(counts));
            Assert.Equal(180, counts.Values.Sum());
            Assert.True(counts.Values.Max() <= 1.15 * 60, "not balanced: " + ChatCluster.Describe(counts));
        }
        finally
        {
            foreach (var traffic in viaGateways)
            {
                await traffic.DisposeAsync();
            }
        }
    }

    /// <summary>What a gateway's /metrics says the destination last reported (gateway_destination_reported_connections), or null.</summary>
    private static double? ReportedConnections(ChatProbe metrics, string destination) =>
        PrometheusText.Parse(metrics.Body)
            .Where(s => s.Name == "gateway_destination_reported_connections" && s.Labels.GetValueOrDefault("destination") == destination)
            .Select(s => (double?)s.Value)
            .FirstOrDefault();
}
