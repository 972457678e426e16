using Chat.LoadTest.Targets;
using Chat.Testing;

namespace Chat.LoadTest.Scenarios;

/// <summary>What each scenario does to the cluster while it holds its connections.</summary>
public static class ScenarioActions
{
    public static IReadOnlyList<ScheduledAction> For(ScenarioSettings settings, ITargetCluster cluster)
    {
        if (cluster.Control is not { } control)
        {
            return Commands(settings);
        }

        var duration = settings.Duration;
        return settings.Kind switch
        {
            ScenarioKind.ScaleOut when settings.AddReplicas > 0 => [new ScheduledAction(duration / 3, "add-replicas", async (c, ct) =>
            {
                var added = await Task.WhenAll(Enumerable.Range(0, settings.AddReplicas).Select(_ => c.Control!.AddReplicaAsync(ct)));
                return $"started {string.Join(", ", added)}";
            })],
            ScenarioKind.Chaos => Chaos(duration, control.RunningReplicas, settings.Faults),
            _ => [],
        };
    }

    private static List<ScheduledAction> Chaos(TimeSpan duration, IReadOnlyList<string> replicas, ChaosFaults faults)
    {
        var killed = replicas[0];
        var drained = replicas.Count > 1 ? replicas[1] : replicas[0];
        var actions = new List<ScheduledAction>();
        if (faults.HasFlag(ChaosFaults.Kill))
        {
            actions.AddRange(StopThenStart(duration * 0.20, duration * 0.35, killed, "kill", "SIGKILL {0}",
                (control, replica, _) => control.KillReplicaAsync(replica)));
        }

        if (faults.HasFlag(ChaosFaults.Terminate))
        {
            actions.AddRange(StopThenStart(duration * 0.50, duration * 0.65, drained, "terminate", "SIGTERM {0}; it drained and exited",
                (control, replica, ct) => control.TerminateReplicaAsync(replica, ct)));
        }

        if (faults.HasFlag(ChaosFaults.Redis))
        {
            actions.Add(new(duration * 0.80, "restart-redis", async (c, ct) =>
            {
                await c.Control!.RestartRedisAsync(TimeSpan.FromSeconds(2), ct);
                return "redis-server stopped for 2 s and started again (empty)";
            }));
        }

        return actions;
    }

    private static ScheduledAction[] StopThenStart(TimeSpan stopAt, TimeSpan startAt, string replica, string kind, string stopped,
        Func<ILocalClusterControl, string, CancellationToken, Task> stop) =>
    [
        new(stopAt, kind, async (c, ct) =>
        {
            await stop(c.Control!, replica, ct);
            return string.Format(System.Globalization.CultureInfo.InvariantCulture, stopped, replica);
        }),
        new(startAt, "start", async (c, ct) =>
        {
            await c.Control!.StartReplicaAsync(replica, ct);
            return $"started {replica} again";
        }),
    ];

    /// <summary>A remote target's --exec commands, evenly spaced over the hold phase.</summary>
    private static List<ScheduledAction> Commands(ScenarioSettings settings) =>
    [
        .. settings.Exec.Select((command, i) => new ScheduledAction(
            settings.Duration * (i + 1) / (settings.Exec.Count + 1), "exec", (_, ct) => RunCommandAsync(command, ct))),
    ];

    private static async Task<string> RunCommandAsync(string command, CancellationToken cancellationToken)
    {
        await using var process = new ChildProcess("/bin/sh", ["-c", command]);
        var exited = await process.WaitForExitAsync(TimeSpan.FromMinutes(2)).WaitAsync(cancellationToken);
        var output = process.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault()?.Trim();
        return exited
            ? $"`{command}` exited with {process.ExitCode}{(output is null ? "" : ": " + output)}"
            : $"`{command}` did not finish in 2 min and was killed";
    }
}
