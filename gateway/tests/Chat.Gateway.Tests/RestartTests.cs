using System.Diagnostics;
using Chat.Gateway.Tests.Support;
using Chat.Proxy;
using Chat.Testing;
using Xunit.Abstractions;

namespace Chat.Gateway.Tests;

/// <summary>A replica that crashed and came back on the same address is back in the gateway's rotation at once.</summary>
/// <remarks>
/// The readiness probe runs every 4 s here, longer than the replica is away (about a second), so most often no probe
/// sees it down: only the passive check does (refused connections), and the first good readiness answer has to end
/// that, not the passive reactivation period — set to 10 minutes here, so that a replica back within the test's
/// generous bound can only be back through its readiness answer, however slow the machine is.
/// </remarks>
[Collection(ProcessCollection.Name)]
public sealed class RestartTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_replica_killed_and_restarted_on_the_same_address_gets_new_connections_at_its_first_good_readiness_answer()
    {
        await using var cluster = await ChatCluster.StartAsync(replicas: 2, redis: true,
            clusterMetadata: new Dictionary<string, string>
            {
                [ChatProxyMetadata.ReadinessInterval] = "4",
                [ChatProxyMetadata.PassiveReactivation] = "600",
            });
        using var http = new HttpClient { BaseAddress = cluster.Gateway.BaseAddress };

        var r1 = cluster.Replicas["r1"];
        r1.Process.Kill();
        Assert.True(await r1.Process.WaitForExitAsync(TimeSpan.FromSeconds(10)));
        // Before any readiness probe notices, half of these go to the dead address: refused connections, which the
        // passive health check acts on.
        await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => http.GetAsync("/")));
        var sinceFailures = Stopwatch.StartNew();

        await cluster.StartAgainAsync("r1");
        var restarted = Stopwatch.StartNew();
        // Without the readiness answer ending the passive outage, r1 would be back only 10 minutes after those
        // failures (Chat.PassiveReactivation); with it, at the first probe after its restart (every 4 s).
        var deadline = TimeSpan.FromSeconds(60);
        var clients = new List<RoomMember>();
        try
        {
            var routed = await Eventually.TrueAsync(async () =>
            {
                clients.Add(await RoomMember.JoinAsync(cluster.Gateway.BaseAddress, "restart-room", $"restart-u{clients.Count}"));
                return clients[^1].Replica == "r1";
            }, deadline, TimeSpan.FromMilliseconds(250));

            output.WriteLine($"{clients.Count} clients connected, first on r1 after {restarted.Elapsed.TotalSeconds:0.0} s "
                + $"({sinceFailures.Elapsed.TotalSeconds:0.0} s after the failures)");
            Assert.True(routed, $"no new connection reached r1 within {deadline.TotalSeconds:0.0} s of its restart "
                + $"({sinceFailures.Elapsed.TotalSeconds:0.0} s after the failures): {string.Join(", ", clients.Select(c => c.Replica))}"
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
