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
        output.WriteLine($"connected 400 clients");
        Dictionary<string, int> before = [];
        var settled = await Eventually.TrueAsync(async () => (before = await cluster.ConnectionCountsAsync()).Values.Sum() == 400, TimeSpan.FromSeconds(20));
        output.WriteLine($"before: {ChatCluster.Describe(before)}; {traffic.Clients.Sum(c => c.Reconnects)} reconnects, {traffic.Clients.Sum(c => c.UnexpectedCloses)} closes");
        Assert.True(settled, "the 400 clients did not settle: " + ChatCluster.Describe(before) + Environment.NewLine + cluster.Logs());

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
        Assert.True(balanced, "not balanced within 30 s: " + ChatCluster.Describe(counts) + Environment.NewLine + cluster.Logs());

        var problems = await traffic.FinishAsync(TimeSpan.FromSeconds(20));
        var reconnects = traffic.Clients.Sum(c => c.Reconnects);
        output.WriteLine($"{traffic.Acknowledged} messages sent, {reconnects} reconnects, {traffic.Clients.Sum(c => c.ReconnectTime.TotalMilliseconds) / Math.Max(1, reconnects):0} ms on average");
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems.Take(20)) + Environment.NewLine + cluster.Logs());
        Assert.True(traffic.Clients.Sum(c => c.Reconnects) >= 150, "the new replicas got their clients by rebalancing");
    }
}
