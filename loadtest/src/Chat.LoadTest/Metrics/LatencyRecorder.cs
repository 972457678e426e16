using HdrHistogram;

namespace Chat.LoadTest.Metrics;

/// <summary>
/// End-to-end latencies in microseconds (1 µs .. 10 min, 3 significant digits). Clients record concurrently;
/// the sampler takes one interval at a time (for the timeline) and folds it into the run's total.
/// </summary>
public sealed class LatencyRecorder
{
    public const long Highest = 600_000_000;
    private readonly Recorder _recorder = new(1, Highest, 3, (id, low, high, digits) => new LongHistogram(id, low, high, digits));
    private readonly LongHistogram _total = NewHistogram();
    private readonly Lock _lock = new();

    public static LongHistogram NewHistogram() => new(1, Highest, 3);

    public void Record(TimeSpan latency) =>
        _recorder.RecordValue(Math.Clamp((long)latency.TotalMicroseconds, 1, Highest));

    /// <summary>What was recorded since the last call; it is added to <see cref="Total"/>.</summary>
    public HistogramBase TakeInterval()
    {
        lock (_lock)
        {
            var interval = _recorder.GetIntervalHistogram();
            _total.Add(interval);
            return interval;
        }
    }

    /// <summary>A copy of every interval taken so far, for progress; it takes nothing from the next interval.</summary>
    public HistogramBase IntervalsSoFar()
    {
        lock (_lock)
        {
            return _total.Copy();
        }
    }

    /// <summary>
    /// The run's total, for its summary: every interval, and what no interval has taken yet, so a latency recorded
    /// after the closing sample still counts.
    /// </summary>
    public HistogramBase Total()
    {
        lock (_lock)
        {
            _total.Add(_recorder.GetIntervalHistogram());
            return _total.Copy();
        }
    }
}
