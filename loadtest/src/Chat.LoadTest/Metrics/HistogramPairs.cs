using HdrHistogram;

namespace Chat.LoadTest.Metrics;

/// <summary>A histogram as [value, count] pairs (one per recorded bucket) and back, for summaries that merge.</summary>
public static class HistogramPairs
{
    public static IReadOnlyList<long[]> From(HistogramBase histogram) =>
        [.. histogram.RecordedValues().Select(v => new[] { v.ValueIteratedTo, v.CountAtValueIteratedTo })];

    /// <summary>Adds the pairs of every summary into one histogram of the recorder's range.</summary>
    public static HistogramBase Merge(IEnumerable<IReadOnlyList<long[]>> histograms)
    {
        var merged = LatencyRecorder.NewHistogram();
        foreach (var pair in histograms.SelectMany(h => h))
        {
            merged.RecordValueWithCount(Math.Clamp(pair[0], 1, LatencyRecorder.Highest), pair[1]);
        }

        return merged;
    }
}
