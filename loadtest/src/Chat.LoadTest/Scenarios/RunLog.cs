using System.Diagnostics;

namespace Chat.LoadTest.Scenarios;

/// <summary>The run's clock, its current phase, what happened when, and the timeline samples.</summary>
public sealed class RunLog
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<RunEvent> _events = [];
    private readonly List<TimelineSample> _samples = [];
    private readonly Lock _lock = new();

    public DateTimeOffset StartedAt { get; } = DateTimeOffset.UtcNow;

    public double Seconds => _clock.Elapsed.TotalSeconds;

    public string Phase { get; private set; } = "starting";

    public event Action<RunEvent>? EventAdded;

    public void EnterPhase(string phase)
    {
        Phase = phase;
        Add("phase", phase);
    }

    /// <summary>Logs an event, at <paramref name="seconds"/> when it began earlier than now (an action that took a while).</summary>
    public void Add(string kind, string detail, double? seconds = null)
    {
        var item = new RunEvent(Math.Round(seconds ?? Seconds, 2), kind, detail);
        lock (_lock)
        {
            _events.Add(item);
        }

        EventAdded?.Invoke(item);
    }

    public void Add(TimelineSample sample)
    {
        lock (_lock)
        {
            _samples.Add(sample);
        }
    }

    public IReadOnlyList<RunEvent> Events
    {
        get
        {
            lock (_lock)
            {
                return [.. _events.OrderBy(e => e.Seconds)];
            }
        }
    }

    public IReadOnlyList<TimelineSample> Samples
    {
        get
        {
            lock (_lock)
            {
                return [.. _samples];
            }
        }
    }
}

public sealed record RunEvent(double Seconds, string Kind, string Detail);

/// <summary>The state of the run at one instant: connections per replica, rates, errors, replica memory.</summary>
public sealed record TimelineSample(
    double Seconds,
    string Phase,
    int Connected,
    IReadOnlyDictionary<string, int> Replicas,
    double SentPerSecond,
    double DeliveredPerSecond,
    double? LatencyP99Ms,
    long Reconnects,
    long Errors,
    IReadOnlyDictionary<string, double> MemoryMb);
