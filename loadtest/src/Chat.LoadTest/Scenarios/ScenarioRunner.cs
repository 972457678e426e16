using System.Diagnostics;
using Chat.LoadTest.Clients;
using Chat.LoadTest.Metrics;
using Chat.LoadTest.Progress;
using Chat.LoadTest.Reports;
using Chat.LoadTest.Targets;

namespace Chat.LoadTest.Scenarios;

/// <summary>
/// Runs one scenario against a cluster: connect at the given rate, hold (publishing, with the scenario's
/// actions on the cluster), let deliveries settle, then account for every message. Ctrl+C ends the run early
/// and still yields a summary of what happened so far.
/// </summary>
public sealed class ScenarioRunner(ScenarioSettings settings, ITargetCluster cluster, IProgressView progress)
{
    private static readonly TimeSpan SettleLimit = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan QuietPeriod = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan AfterLastAction = TimeSpan.FromSeconds(5);

    public async Task<RunSummary> RunAsync(CancellationToken cancellationToken)
    {
        var log = new RunLog();
        log.EventAdded += progress.Event;
        var metrics = new LoadMetrics();
        var runId = settings.RunId ?? Guid.NewGuid().ToString("N")[..6];
        await using var fleet = new ClientFleet(settings.Connections, settings.Rooms, settings.StompRatio, runId, cluster, metrics, settings.InjectGap,
            settings.SourceAddresses, settings.Generator);
        var sampler = new TimelineSampler(settings, log, metrics, fleet, cluster, progress);
        log.Add("run", $"{settings.Kind.Name()} against {cluster.Description}");
        sampler.SampleNow();

        using var sampling = new CancellationTokenSource();
        var samplingTask = sampler.RunAsync(sampling.Token);
        var cancelled = false;
        var holdSeconds = (Start: 0.0, End: 0.0);
        try
        {
            await WaitForStartAsync(log, cancellationToken);
            log.EnterPhase("connecting");
            await ConnectAsync(fleet, log, cancellationToken);

            log.EnterPhase("holding");
            holdSeconds.Start = log.Seconds;
            var plan = ScenarioActions.For(settings, cluster);
            var actions = RunActionsAsync(plan, log, cancellationToken);
            var afterLastAction = plan.Count == 0 ? TimeSpan.Zero : settings.Duration - plan.Max(a => a.At);
            await PublishAsync(fleet, actions, afterLastAction, cancellationToken);
            holdSeconds.End = log.Seconds;

            log.EnterPhase("settling");
            await SettleAsync(fleet, metrics, sampler, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            cancelled = true;
            log.Add("cancelled", "stopped early (Ctrl+C); the summary covers the run so far");
        }
        finally
        {
            await sampling.CancelAsync();
            await samplingTask;
        }

        if (holdSeconds.End == 0)
        {
            holdSeconds.End = log.Seconds;
        }

        sampler.SampleNow(); // the closing sample, unless settling took it
        return SummaryBuilder.Build(settings, cluster, log, metrics, fleet, holdSeconds, cancelled);
    }

    /// <summary>Generators of one run begin connecting at the same moment.</summary>
    private async Task WaitForStartAsync(RunLog log, CancellationToken cancellationToken)
    {
        if (settings.StartAt is not { } startAt)
        {
            return;
        }

        var wait = startAt - DateTimeOffset.UtcNow;
        if (wait > TimeSpan.Zero)
        {
            log.Add("start", $"generator {settings.Generator.Index} of {settings.Generator.Count} waits {wait.TotalSeconds:0.0} s for the shared start");
            await Task.Delay(wait, cancellationToken);
        }
        else
        {
            log.Add("start", $"generator {settings.Generator.Index} of {settings.Generator.Count} started {-wait.TotalSeconds:0.0} s after the shared start");
        }
    }

    private async Task ConnectAsync(ClientFleet fleet, RunLog log, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var clients = fleet.Clients;
        var started = 0;
        while (started < clients.Count)
        {
            var due = Math.Min(clients.Count, (int)(clock.Elapsed.TotalSeconds * settings.ConnectRate / settings.Generator.Count) + 1);
            for (; started < due; started++)
            {
                fleet.Start(clients[started]);
            }

            await Task.Delay(TimeSpan.FromMilliseconds(10), cancellationToken);
        }

        var limit = TimeSpan.FromSeconds(30 + (settings.Connections / settings.ConnectRate));
        try
        {
            await Task.WhenAll(clients.Select(c => c.FirstConnection)).WaitAsync(limit, cancellationToken);
            log.Add("connected", $"{clients.Count} clients connected in {clock.Elapsed.TotalSeconds:0.0} s");
        }
        catch (TimeoutException)
        {
            log.Add("connect-timeout", $"only {clients.Count(c => c.FirstConnection.IsCompleted)} of {clients.Count} connected within {limit.TotalSeconds:0} s");
        }
    }

    /// <summary>
    /// Publishes at the set rate for the duration. When the cluster actions run late (a replica slow to start or
    /// drain), it goes on until they are done and then as long as the plan had after the last one, so every
    /// action happens under traffic and its effect (rebalancing, resume) is watched for the planned time.
    /// </summary>
    private async Task PublishAsync(ClientFleet fleet, Task actions, TimeSpan afterLastAction, CancellationToken cancellationToken)
    {
        var tail = afterLastAction < AfterLastAction ? AfterLastAction : afterLastAction;
        var rooms = fleet.Rooms;
        var totalRate = settings.PublishRate * rooms.Count;
        var inFlight = new List<Task>();
        var clock = Stopwatch.StartNew();
        var end = settings.Duration;
        long published = 0;
        while (clock.Elapsed < end || !actions.IsCompleted)
        {
            if (!actions.IsCompleted && clock.Elapsed >= end - tail)
            {
                end = clock.Elapsed + tail;
            }

            if (totalRate <= 0)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
                continue;
            }

            var due = (long)(clock.Elapsed.TotalSeconds * totalRate);
            for (; published < due; published++)
            {
                var members = rooms[(int)(published % rooms.Count)];
                var publisher = members[(int)(published / rooms.Count % members.Length)];
                inFlight.Add(publisher.PublishAsync(cancellationToken));
            }

            inFlight.RemoveAll(t => t.IsCompleted);
            await Task.Delay(TimeSpan.FromMilliseconds(5), cancellationToken);
        }

        await actions;

        // Sends still waiting for their confirmation finish (or time out) before deliveries are counted.
        await Task.WhenAll(inFlight).WaitAsync(TimeSpan.FromSeconds(15), cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    private async Task RunActionsAsync(IReadOnlyList<ScheduledAction> actions, RunLog log, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        foreach (var action in actions.OrderBy(a => a.At))
        {
            var wait = action.At - clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, cancellationToken);
            }

            // Logged at the time the action began: a replica that takes 20 s to start is already taking clients before.
            var began = log.Seconds;
            try
            {
                log.Add(action.Kind, await action.RunAsync(cluster, cancellationToken), began);
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                log.Add("action-failed", $"{action.Kind}: {error.Message}", began);
            }
        }
    }

    /// <summary>
    /// Waits (bounded) until every client is back and deliveries stopped, so late messages are not counted as lost;
    /// the sample that saw it is the timeline's last.
    /// </summary>
    private static async Task SettleAsync(ClientFleet fleet, LoadMetrics metrics, TimelineSampler sampler, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var delivered = metrics.Delivered;
        var quietSince = clock.Elapsed;
        while (clock.Elapsed < SettleLimit)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
            var allConnected = fleet.Connected == fleet.Clients.Count;
            if (metrics.Delivered != delivered)
            {
                delivered = metrics.Delivered;
                quietSince = clock.Elapsed;
            }

            // The closing sample is the one that saw everyone connected: a client moved by a rebalancing round a
            // moment later would otherwise count as not held at the end.
            if (allConnected && (fleet.Lost() == 0 || clock.Elapsed - quietSince >= QuietPeriod)
                && sampler.TrySampleLast(sample => sample.Connected == fleet.Clients.Count))
            {
                return;
            }
        }
    }
}
