using Chat.Gateway.Tests.Support;
using Chat.Testing;
using Xunit.Abstractions;

namespace Chat.Gateway.Tests;

/// <summary>After a scale-out the old replicas hand their excess clients over until the load is even, losing nothing.</summary>
[Collection(ProcessCollection.Name)]
public sealed class ScaleOutTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Two_replicas_added_to_the_gateway_config_take_their_share_within_30_seconds_without_gap_or_duplicate()
    {
        await using var cluster = await ChatCluster.StartAsync(replicas: 2, redis: true);
        await using var traffic = await RoomTraffic.ConnectAsync(cluster.Gateway.BaseAddress, clients: 400, rooms: 8, prefix: "scale");
        var before = await cluster.ConnectionCountsAsync();
        output.WriteLine("before: " + ChatCluster.Describe(before));
        Assert.Equal(400, before.Values.Sum());

        traffic.StartSending(TimeSpan.FromMilliseconds(250));
        await cluster.AddReplicasAsync(2);
        cluster.WriteConfig();
        var changedAt = DateTime.UtcNow;

        Dictionary<string, int> counts = [];
        var balanced = await Eventually.TrueAsync(async () =>
        {
            counts = await cluster.ConnectionCountsAsync();
            var mean = counts.Values.Sum() / 4.0;
            output.WriteLine($"{(DateTime.UtcNow - changedAt).TotalSeconds:0.0}s: {ChatCluster.Describe(counts)} max/mean={counts.Values.Max() / mean:0.00}");
            return counts.Count == 4 && counts.Values.Sum() == 400 && counts.Values.Max() <= 1.15 * mean;
        }, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(500));
        Assert.True(balanced, "not balanced within 30 s: " + ChatCluster.Describe(counts));

        var problems = await traffic.FinishAsync(TimeSpan.FromSeconds(20));
        output.WriteLine($"{traffic.Acknowledged} messages sent, {traffic.Clients.Sum(c => c.Reconnects)} reconnects");
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems.Take(20)));
        Assert.True(traffic.Clients.Sum(c => c.Reconnects) >= 150, "the new replicas got their clients by rebalancing");
    }
}
