using Chat.Server.Balancing;
using Chat.Server.Connections;
using Chat.Server.Hosting;
using Chat.Server.Observability;
using Chat.Server.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Chat.Server.Tests.Balancing;

/// <summary>The rebalancing loop itself, against a cluster view the test controls, in real (short) time.</summary>
public sealed class RebalancerTests
{
    private const string Self = "r1";

    [Fact]
    public async Task A_replica_whose_closed_clients_come_straight_back_stops_closing_them_over_and_over()
    {
        // 30 here, 1 on each other replica: 19 above the fair share. The proxies send every closed client back here.
        var (closes, left) = await RunAsync(30, registry => new() { [Self] = registry.Count, ["r2"] = 1, ["r3"] = 1 }, TimeSpan.FromSeconds(6));

        // Without back-off a round (1 s of closes, 0.2 s settle) follows another: about 4 rounds of 19 in 6 s.
        Assert.InRange(closes, 19, 2 * 19);
        Assert.Equal(30, left);
    }

    [Fact]
    public async Task A_replica_whose_only_emptier_peers_never_get_a_connection_probes_a_few_times_not_every_round()
    {
        // 30 here, and two replicas that never had a connection (an HTTP-only pool in the same load set, or replicas
        // the proxies do not know yet): only probes, one connection per round, and every probe comes back.
        var (closes, left) = await RunAsync(30, registry => new() { [Self] = registry.Count, ["r2"] = 0, ["r3"] = 0 }, TimeSpan.FromSeconds(8));

        // A probe per round (1 s) would be 7 or 8 in 8 s; with the settle time and back-off (2 s, then 4 s) at most 3.
        Assert.InRange(closes, 1, 3);
        Assert.Equal(30, left);
    }

    [Fact]
    public async Task A_replica_whose_own_report_lags_behind_its_first_clients_does_not_shed_them()
    {
        // 3 clients here and none on r2, which is fair; but the reports in Redis still say 0 for both.
        var (closes, left) = await RunAsync(3, _ => new() { [Self] = 0, ["r2"] = 0 }, TimeSpan.FromSeconds(2));

        Assert.Equal((0, 3), (closes, left));
    }

    /// <summary>Runs the loop for a while over <paramref name="connections"/> returning clients; reports come from <paramref name="report"/>.</summary>
    private static async Task<(int Closes, int Left)> RunAsync(int connections, Func<ConnectionRegistry, Dictionary<string, long>> report, TimeSpan duration)
    {
        using var metrics = new ChatMetrics(new PlainMeterFactory());
        var registry = new ConnectionRegistry(metrics);
        var closes = 0;
        for (var i = 0; i < connections; i++)
        {
            registry.Add(new ReturningConnection(registry, () => Interlocked.Increment(ref closes)));
        }

        var clusterLoad = new ClusterLoad();
        var settings = new BalancingOptions
        {
            ReportInterval = TimeSpan.FromMilliseconds(100),
            SettleTime = TimeSpan.FromMilliseconds(200),
            FutileBackoff = TimeSpan.FromSeconds(2),
        };
        using var rebalancer = new Rebalancer(
            registry,
            clusterLoad,
            new DrainState(),
            new ConnectionHandover(metrics, TimeProvider.System, NullLogger<ConnectionHandover>.Instance),
            Options.Create(new ChatOptions { ReplicaId = Self }),
            Options.Create(settings),
            TimeProvider.System,
            NullLogger<Rebalancer>.Instance);

        using var reports = new CancellationTokenSource();
        var reporting = ReportAsync(clusterLoad, () => report(registry), reports.Token);
        await rebalancer.StartAsync(CancellationToken.None);
        await Task.Delay(duration);
        await rebalancer.StopAsync(CancellationToken.None);
        await reports.CancelAsync();
        await reporting;
        return (Volatile.Read(ref closes), registry.Count);
    }

    private static async Task ReportAsync(ClusterLoad clusterLoad, Func<Dictionary<string, long>> report, CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var now = DateTimeOffset.UtcNow;
                clusterLoad.Update(report(), now, now);
                await Task.Delay(50, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>A client that, closed for rebalancing, reconnects to this same replica at once.</summary>
    private sealed class ReturningConnection(ConnectionRegistry registry, Action closed) : IClientConnection
    {
        public string Id { get; } = Guid.NewGuid().ToString("N");

        public string Protocol => "stomp";

        public DateTimeOffset ConnectedAt { get; } = DateTimeOffset.UtcNow;

        public string? User { get; set; }

        public Task CloseForRebalanceAsync(string reason, CancellationToken cancellationToken = default)
        {
            closed();
            registry.Remove(this);
            registry.Add(new ReturningConnection(registry, closed));
            return Task.CompletedTask;
        }
    }
}
