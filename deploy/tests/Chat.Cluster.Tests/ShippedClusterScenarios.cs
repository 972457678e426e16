using System.Globalization;
using Chat.Testing;
using Chat.Testing.Kubernetes.Cluster;
using Xunit.Abstractions;

namespace Chat.Cluster.Tests;

/// <summary>
/// The scenarios of long-lived connections on the manifests as shipped (at test scale, see overlay/), one cluster
/// for all of them, in order: users ramp up and KEDA scales chat-ws out, the connections balance; a steady minute
/// without a single rebalancing close; a rolling restart of chat-ws and one of the ingress controller with 400
/// users; users leave and KEDA scales in, removing the emptiest pods. Nothing is lost or delivered twice. Waits are
/// bounded and generous; the measured figures go to the output and to TestResults/cluster/figures.txt.
/// </summary>
[TestCaseOrderer(StepOrderer.Name, StepOrderer.Assembly)]
public sealed class ShippedClusterScenarios(ShippedCluster fixture, ITestOutputHelper output) : IClassFixture<ShippedCluster>
{
    private const string WebSocketPool = "chat-ws";
    private const string Controller = "chat-ingress-controller";
    private const double Balanced = 1.15;

    /// <summary>Balancing:Tolerance and Balancing:MinExcess as the manifests leave them (the chat server's defaults).</summary>
    private const double RebalancerTolerance = 1.10;

    private const int RebalancerMinExcess = 2;

    private LocalCluster Cluster => fixture.Cluster;

    private ChatLoad Load => fixture.Load;

    [Fact]
    [Step(1)]
    public async Task Users_ramp_up_KEDA_scales_chat_ws_out_and_the_connections_balance()
    {
        var ws = Cluster.Deployment(WebSocketPool);
        var start = DateTimeOffset.UtcNow;
        var initial = ws.SpecReplicas;
        fixture.Groups["staying"] = await Load.AddAsync(150, 30, TimeSpan.FromMinutes(2));
        fixture.Groups["leaving"] = await Load.AddAsync(250, 30, TimeSpan.FromMinutes(2));
        var connected = DateTimeOffset.UtcNow;
        Report($"400 users connected in {(connected - start).TotalSeconds:0.0} s; chat-ws {initial} replicas, per replica {Describe(Load.PerReplica())}");

        Assert.True(await Eventually.TrueAsync(() => ws.SpecReplicas >= 4, TimeSpan.FromMinutes(4), TimeSpan.FromSeconds(1)),
            $"KEDA did not scale chat-ws to 4: {ws.SpecReplicas}\n{Decisions()}");
        var scaledAt = DateTimeOffset.UtcNow;
        Assert.True(await Eventually.TrueAsync(() => ws.ActivePods.Count == ws.SpecReplicas && ws.ActivePods.All(p => p.Ready), TimeSpan.FromMinutes(3), TimeSpan.FromMilliseconds(250)),
            "the new chat-ws pods did not turn ready");
        var ready = ws.ActivePods.Max(p => p.ReadySince!.Value);
        var balanced = await WaitBalancedAsync(TimeSpan.FromSeconds(120));
        Report($"scale-out: KEDA {initial} → {ws.SpecReplicas} replicas {(scaledAt - connected).TotalSeconds:0} s after the ramp, new pods ready {(ready - scaledAt).TotalSeconds:0.0} s later; "
            + (balanced is { } at ? $"max/mean ≤ {Balanced} {(at - ready).TotalSeconds:0.0} s after the last pod was ready" : "not balanced within 120 s")
            + $"; per replica {Describe(Load.PerReplica())}; rebalance closes {Load.Metrics.RebalanceCloses}");
        Assert.NotNull(balanced);
        // How soon is a figure (above, and in figures.txt), not a deadline: on a loaded machine the chain from a ready
        // pod to the proxies routing to it stretches. What is asserted: balanced, nothing lost.
        await AssertNothingLostAsync("scale-out");
    }

    [Fact]
    [Step(2)]
    public async Task At_steady_state_nothing_is_rebalanced_for_a_minute()
    {
        // Steady means the replicas themselves see nothing to hand over: within their own tolerance, which is tighter
        // than the 1.15 the scale-out step waits for.
        Assert.True(await WaitBalancedAsync(TimeSpan.FromSeconds(90), RebalancerTolerance, RebalancerMinExcess) is not null, "not balanced before the steady minute");
        var closes = Load.Metrics.RebalanceCloses;
        var reconnects = Load.Metrics.Reconnects;
        var replicas = Cluster.Deployment(WebSocketPool).SpecReplicas;
        await Task.Delay(TimeSpan.FromSeconds(60));
        var closed = Load.Metrics.RebalanceCloses - closes;
        Report($"steady 60 s at {replicas} chat-ws replicas (chat-http {Cluster.Deployment("chat-http").SpecReplicas}): {closed} rebalance closes, {Load.Metrics.Reconnects - reconnects} reconnects; per replica {Describe(Load.PerReplica())}");
        Assert.Equal(0, closed);
        Assert.Equal(replicas, Cluster.Deployment(WebSocketPool).SpecReplicas);
    }

    [Fact]
    [Step(3)]
    public async Task A_rolling_restart_of_chat_ws_with_400_users_loses_nothing()
    {
        Assert.Equal(400, Load.Count);
        var ws = Cluster.Deployment(WebSocketPool);
        var moves = Load.Metrics.RebalanceCloses;
        var drops = Load.Metrics.Drops;
        var start = DateTimeOffset.UtcNow;
        ws.RolloutRestart();
        Assert.True(await Cluster.WaitForRolloutAsync(WebSocketPool, TimeSpan.FromMinutes(6)), "the rollout did not finish");
        Report($"rolling restart of chat-ws ({ws.SpecReplicas} pods, maxSurge 1, maxUnavailable 0): {(DateTimeOffset.UtcNow - start).TotalSeconds:0} s, "
            + $"{Load.Metrics.RebalanceCloses - moves} clients moved by drain or rebalancing, {Load.Metrics.Drops - drops} dropped; per replica {Describe(Load.PerReplica())}");
        await AssertNothingLostAsync("chat-ws rollout");
    }

    [Fact]
    [Step(4)]
    public async Task A_rolling_restart_of_the_controller_moves_its_connections_gradually_and_loses_nothing()
    {
        Assert.Equal(400, Load.Count);
        var controller = Cluster.Deployment(Controller);
        Assert.True(controller.SpecReplicas >= 1);
        var old = Cluster.LoadBalancerConnections(fixture.EntryService);
        var timeline = old.Keys.ToDictionary(k => k, _ => new List<(DateTimeOffset At, int Open)>());
        var drops = Load.Metrics.Drops;
        var moves = Load.Metrics.RebalanceCloses;
        var start = DateTimeOffset.UtcNow;
        controller.RolloutRestart();
        var done = Eventually.TrueAsync(() => Cluster.Deployment(Controller).RolledOut && Cluster.Deployment(Controller).Pods.All(p => !p.Terminating), TimeSpan.FromMinutes(4), TimeSpan.FromMilliseconds(250));
        while (!done.IsCompleted)
        {
            var open = Cluster.LoadBalancerConnections(fixture.EntryService);
            foreach (var (pod, series) in timeline)
            {
                series.Add((DateTimeOffset.UtcNow, open.GetValueOrDefault(pod)));
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250));
        }

        Assert.True(await done, "the controller's rollout did not finish");
        foreach (var (pod, series) in timeline)
        {
            var initial = old[pod];
            var firstDrop = series.FirstOrDefault(s => s.Open < initial);
            var empty = series.FirstOrDefault(s => s.Open == 0);
            var fastest = series.Select(s => s.Open - series.Where(t => t.At > s.At && t.At <= s.At + TimeSpan.FromSeconds(1)).Select(t => t.Open).DefaultIfEmpty(s.Open).Min()).DefaultIfEmpty(0).Max();
            // The last sample can come before a pod's last connections are gone: the rollout is done once it is deleted.
            var left = empty != default && firstDrop != default
                ? $"they left over {(empty.At - firstDrop.At).TotalSeconds:0.0} s"
                : $"{series.LastOrDefault().Open} still open at the last sample";
            Report($"controller pod {pod}: {initial} connections; {left}, at most {fastest} within one second");
            if (initial >= 20)
            {
                Assert.True(fastest <= initial * 0.6, $"{pod} closed {fastest} of {initial} connections within one second");
            }
        }

        Report($"rolling restart of the controller: {(DateTimeOffset.UtcNow - start).TotalSeconds:0} s; {Load.Metrics.Drops - drops} connections ended by the proxy, {Load.Metrics.RebalanceCloses - moves} moved by the chat pods");
        await AssertNothingLostAsync("controller rollout");
    }

    [Fact]
    [Step(5)]
    public async Task Users_leave_and_KEDA_scales_chat_ws_in_removing_the_emptiest_pods()
    {
        var ws = Cluster.Deployment(WebSocketPool);
        var before = ws.SpecReplicas;
        var deletions = new List<(string Pod, int Moved, int Emptiest, string Counts)>();
        void OnEvent(ClusterEvent e)
        {
            if (e.Kind == "Deleting" && e.Subject.StartsWith(WebSocketPool + "-", StringComparison.Ordinal) && e.Message.Contains("scale down", StringComparison.Ordinal))
            {
                var counts = Load.PerReplica();
                var pods = ws.Pods.Where(p => !p.Terminating || p.Name == e.Subject).Select(p => p.Name).ToList();
                lock (deletions)
                {
                    deletions.Add((e.Subject, counts.GetValueOrDefault(e.Subject), pods.Min(p => counts.GetValueOrDefault(p)), Describe(counts)));
                }
            }
        }

        Cluster.Events.Added += OnEvent;
        try
        {
            await Load.RemoveAsync(fixture.Groups["leaving"]);
            Report($"250 users left; 150 stay: per replica {Describe(Load.PerReplica())}");
            Assert.True(await Eventually.TrueAsync(() => ws.SpecReplicas == 2 && ws.Pods.All(p => !p.Terminating), TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(1)),
                $"KEDA did not scale chat-ws in to 2: {ws.SpecReplicas}\n{Decisions()}");
        }
        finally
        {
            Cluster.Events.Added -= OnEvent;
        }

        foreach (var (pod, moved, emptiest, counts) in deletions)
        {
            Report($"scale-in removed {pod} with {moved} connections (the emptiest had {emptiest}; per replica {counts})");
        }

        Report($"scale-in {before} → {ws.SpecReplicas}: {deletions.Sum(d => d.Moved)} connections moved, ideal {deletions.Sum(d => d.Emptiest)}");
        Assert.Equal(before - 2, deletions.Count);
        Assert.All(deletions, d => Assert.True(d.Moved <= d.Emptiest + Math.Max(3, d.Emptiest / 5), $"removed {d.Pod} with {d.Moved}, the emptiest had {d.Emptiest}"));
        await AssertNothingLostAsync("scale-in");
    }

    [Fact]
    [Step(6)]
    public void The_pods_called_only_what_their_RBAC_allows_and_started_without_warnings()
    {
        var denied = Cluster.Denied;
        var warnings = Cluster.Pods.SelectMany(p => p.StartupWarnings.Select(w => $"{p.Name}: {w}")).ToList();
        Report($"API requests by the pods: {Cluster.Api.Requests.Count(r => r.User is not null)}, denied {denied.Count}; start-up warnings {warnings.Count}");
        Assert.Empty(denied.Select(r => $"{r.User} {r.Verb} {r.Resource} in {r.Namespace}"));
        Assert.Empty(warnings);

        // Every metric the autoscalers' queries name was scraped from the pods (the queries read data, not `vector(0)`).
        var queried = Cluster.Manifests.OfType<Chat.Testing.Kubernetes.Autoscaling.KedaScaledObject>()
            .SelectMany(o => o.Spec.Triggers.Where(t => t.Type == "prometheus").Select(t => t.Metadata["query"]))
            .SelectMany(q => System.Text.RegularExpressions.Regex.Matches(q, @"\b[a-z_]+_(?:total|count|active)\b").Select(m => m.Value))
            .Distinct()
            .ToList();
        Report($"metrics the autoscalers query: {string.Join(", ", queried.Select(m => $"{m} ({Cluster.Prometheus.Named(m).Count} series)"))}");
        Assert.NotEmpty(queried);
        Assert.All(queried, m => Assert.NotEmpty(Cluster.Prometheus.Named(m)));
    }

    /// <summary>
    /// Waits until every user is connected and the ready chat-ws pods hold at most <paramref name="ratio"/> × the mean
    /// (1.15 unless given), or no more than <paramref name="slack"/> above it rounded up.
    /// </summary>
    private async Task<DateTimeOffset?> WaitBalancedAsync(TimeSpan timeout, double ratio = Balanced, int slack = 0)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (DateTimeOffset.UtcNow < deadline)
        {
            var pods = Cluster.Deployment(WebSocketPool).ActivePods.Where(p => p.Ready).Select(p => p.Name).ToList();
            var counts = Load.PerReplica();
            if (Load.Connected == Load.Count && pods.Count > 0 && counts.Keys.All(pods.Contains))
            {
                var mean = (double)Load.Count / pods.Count;
                if (pods.Max(p => counts.GetValueOrDefault(p)) <= Math.Max(mean * ratio, Math.Ceiling(mean) + slack))
                {
                    return DateTimeOffset.UtcNow;
                }
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250));
        }

        return null;
    }

    private async Task AssertNothingLostAsync(string step)
    {
        var (lost, duplicates, gaps, settled) = await Load.AccountAsync(TimeSpan.FromMinutes(1));
        Report($"{step}: lost {lost}, duplicated {duplicates}, gaps {gaps}, all reconnected {settled}, {Load.Metrics.Acked} messages confirmed so far");
        if (lost + duplicates + gaps > 0)
        {
            Report($"{step}: {Load.LossDetails()}");
        }

        Assert.True(settled, "the clients did not all reconnect");
        Assert.Equal(0, lost);
        Assert.Equal(0, duplicates);
        Assert.Equal(0, gaps);
    }

    private string Decisions() => string.Join('\n', Cluster.Autoscalers.Decisions.TakeLast(12).Select(d => $"{d.At:HH:mm:ss} {d.Autoscaler} {d.Current} [{string.Join(", ", d.Proposals)}] → {d.Desired} ({d.Reason})"));

    private static string Describe(Dictionary<string, int> counts) =>
        string.Join(" ", counts.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key[^5..]}={c.Value.ToString(CultureInfo.InvariantCulture)}"));

    private void Report(string line)
    {
        output.WriteLine(line);
        fixture.Report(line);
    }
}
