using Chat.LoadTest.Targets;

namespace Chat.LoadTest.Scenarios;

/// <summary>
/// Something done to the cluster at a point of the hold phase (add, kill, terminate, restart Redis, a command);
/// it returns what happened, for the event log.
/// </summary>
public sealed record ScheduledAction(TimeSpan At, string Kind, Func<ITargetCluster, CancellationToken, Task<string>> RunAsync);
