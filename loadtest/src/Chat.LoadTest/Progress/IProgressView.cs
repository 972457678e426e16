using Chat.LoadTest.Scenarios;

namespace Chat.LoadTest.Progress;

/// <summary>Shows a run while it goes: the live table on a terminal, plain lines when output is redirected.</summary>
public interface IProgressView
{
    Task RunAsync(Func<Task> body);

    void Update(ProgressSnapshot snapshot);

    void Event(RunEvent item);
}

/// <summary>Totals so far plus the latest sample.</summary>
public sealed record ProgressSnapshot(
    string Scenario,
    int TargetConnections,
    TimeSpan Duration,
    TimelineSample Sample,
    long Sent,
    long Delivered,
    long Duplicates,
    long Reconnects,
    long RebalanceCloses,
    long Drops,
    long Errors,
    double? LatencyP99Ms);
