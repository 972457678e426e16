using Chat.Gateway.Tests.Support;
using Chat.Testing;
using Xunit.Abstractions;

namespace Chat.Gateway.Tests;

/// <summary>A replica that gets SIGTERM turns not-ready, hands its clients over through the gateway, then exits.</summary>
[Collection(ProcessCollection.Name)]
public sealed class DrainTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Sigterm_on_one_replica_of_three_moves_all_its_clients_to_the_others_within_10_seconds_losing_nothing()
    {
        await using var cluster = await ChatCluster.StartAsync(replicas: 3, redis: true);
        await using var traffic = await RoomTraffic.ConnectAsync(cluster.Gateway.BaseAddress, clients: 90, rooms: 3, prefix: "drain");
        Dictionary<string, int> counts = [];
        Assert.True(await Eventually.TrueAsync(async () => (counts = await cluster.ConnectionCountsAsync()).Values.Sum() == 90, TimeSpan.FromSeconds(20)));
        output.WriteLine("before: " + ChatCluster.Describe(counts));
        var onR3 = traffic.Clients.Where(c => c.Replica == "r3").ToArray();
        Assert.NotEmpty(onR3);

        traffic.StartSending(TimeSpan.FromMilliseconds(100));
        await Task.Delay(500);
        var replica = cluster.Replicas["r3"];
        var terminatedAt = DateTime.UtcNow;
        replica.Terminate();

        var movedInTime = await Eventually.TrueAsync(
            () => traffic.Clients.All(c => c.Connected && c.Replica != "r3"), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100));
        var movedAfter = DateTime.UtcNow - terminatedAt;
        output.WriteLine($"{onR3.Length} clients of r3 moved in {movedAfter.TotalSeconds:0.0} s");
        Assert.True(movedInTime, $"still on r3 or disconnected after 10 s: {traffic.Clients.Count(c => !c.Connected || c.Replica == "r3")}" + Environment.NewLine + cluster.Logs());
        Assert.True(await replica.Process.WaitForExitAsync(TimeSpan.FromSeconds(20)), "r3 did not exit after draining");
        Assert.Equal(0, replica.Process.ExitCode);

        var problems = await traffic.FinishAsync(TimeSpan.FromSeconds(15));
        output.WriteLine($"{traffic.Acknowledged} messages sent; {traffic.Clients.Sum(c => c.Reconnects)} reconnects");
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems.Take(20)));
        Assert.All(onR3, c => Assert.True(c.Reconnects >= 1));
    }
}
