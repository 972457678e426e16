using System.Globalization;
using Chat.Gateway.Tests.Support;
using Chat.Testing;
using Chat.Testing.Metrics;
using Microsoft.AspNetCore.Http.Connections;
using Xunit.Abstractions;

namespace Chat.Gateway.Tests;

/// <summary>Reloading the gateway's configuration (destinations, metadata, even a bad file) never closes an open WebSocket.</summary>
[Collection(ProcessCollection.Name)]
public sealed class ConfigChangeTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_hundred_config_changes_while_200_websockets_are_open_close_none_of_them()
    {
        // In memory: no rebalancing, so any close would be the gateway's doing.
        await using var cluster = await ChatCluster.StartAsync(replicas: 2, redis: false);
        await using var traffic = await RoomTraffic.ConnectAsync(cluster.Gateway.BaseAddress, clients: 200, rooms: 4, prefix: "cfg", parallelism: 24);
        Assert.All(traffic.Clients, c => Assert.Equal(0, c.Reconnects));

        var unused = new Uri($"http://127.0.0.1:{FreePort.Next()}");
        for (var change = 0; change < 100; change++)
        {
            // Destinations come and go (r2, which holds half of the sockets, included), cluster settings change
            // (a new upstream HTTP client) and route timeouts change.
            var replicas = change % 10 == 3 ? ["r1"] : new[] { "r1", "r2" };
            var extra = change % 2 == 0 ? new Dictionary<string, Uri> { [$"spare{change % 4}"] = unused } : null;
            cluster.WriteConfig(replicas,
                clusterMetadata: new Dictionary<string, string> { ["Chat.ConnectTimeout"] = (3 + change % 3).ToString(CultureInfo.InvariantCulture) },
                routeMetadata: new Dictionary<string, string> { ["Chat.ReadTimeout"] = (3000 + change).ToString(CultureInfo.InvariantCulture) },
                extraDestinations: extra);
            await Task.Delay(change % 10 == 9 ? 600 : 120);
        }

        // A file the gateway must refuse (bad value): the running configuration stays.
        cluster.WriteConfig(clusterMetadata: new Dictionary<string, string> { ["Chat.ConnectTimeout"] = "soon" });
        await Task.Delay(1000);
        cluster.WriteConfig();
        await Task.Delay(1000);

        Assert.All(traffic.Clients, c => Assert.True(c.Reconnects == 0 && c.UnexpectedCloses == 0 && c.Connected, $"{c.User} was disconnected"));
        // Every tunnel still carries traffic both ways.
        var sent = await Task.WhenAll(traffic.Clients.Select(c => c.SendAsync("still here")));
        Assert.Equal(200, sent.Length);

        var metrics = (await cluster.Gateway.GetAsync("/metrics")).Body;
        var open = PrometheusText.Parse(metrics).Where(s => s.Name == "gateway_websocket_connections").Sum(s => s.Value);
        output.WriteLine($"gateway_websocket_connections total: {open}");
        Assert.Equal(200, open);
        Assert.Contains("gateway_requests_total{", metrics);
        Assert.Contains("Chat.ConnectTimeout", cluster.Gateway.Process.Output);
    }
}
