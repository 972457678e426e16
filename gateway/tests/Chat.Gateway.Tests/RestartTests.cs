using System.Diagnostics;
using Chat.Gateway.Tests.Support;
using Chat.Testing;
using Xunit.Abstractions;

namespace Chat.Gateway.Tests;

/// <summary>A replica that crashed and came back on the same address is back in the gateway's rotation at once.</summary>
[Collection(ProcessCollection.Name)]
public sealed class RestartTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_replica_killed_and_restarted_on_the_same_address_gets_new_connections_within_a_few_seconds()
    {
        await using var cluster = await ChatCluster.StartAsync(replicas: 2, redis: true);
        using var http = new HttpClient { BaseAddress = cluster.Gateway.BaseAddress };

        var r1 = cluster.Replicas["r1"];
        r1.Process.Kill();
        Assert.True(await r1.Process.WaitForExitAsync(TimeSpan.FromSeconds(10)));
        // Before the readiness probe notices, half of these go to the dead address: transport failures that passive
        // health checks act on.
        await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => http.GetAsync("/")));

        await cluster.StartAgainAsync("r1");
        var restarted = Stopwatch.StartNew();
        var clients = new List<RoomMember>();
        try
        {
            var routed = await Eventually.TrueAsync(async () =>
            {
                clients.Add(await RoomMember.JoinAsync(cluster.Gateway.BaseAddress, "restart-room", $"restart-u{clients.Count}"));
                return clients[^1].Replica == "r1";
            }, TimeSpan.FromSeconds(6), TimeSpan.FromMilliseconds(250));

            output.WriteLine($"{clients.Count} clients connected, first on r1 after {restarted.Elapsed.TotalSeconds:0.0} s");
            Assert.True(routed, $"no new connection reached r1 within 6 s of its restart: {string.Join(", ", clients.Select(c => c.Replica))}"
                + Environment.NewLine + cluster.Logs());
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }
}
