namespace Chat.Testing.Kubernetes.Metrics;

/// <summary>A time series: its labels (with __name__) and its samples, oldest first; a stale marker ends it.</summary>
public sealed class Series(IReadOnlyDictionary<string, string> labels)
{
    public IReadOnlyDictionary<string, string> Labels { get; } = labels;

    public List<(DateTimeOffset At, double Value)> Samples { get; } = [];

    /// <summary>When the series went stale (its target or the series itself disappeared from a scrape), or null.</summary>
    public DateTimeOffset? StaleSince { get; set; }
}

/// <summary>
/// Prometheus's storage, enough for the queries of the autoscalers: samples per series, staleness markers when a
/// series or its whole target disappears (as Prometheus writes them), retention of a few minutes.
/// </summary>
public sealed class SeriesStore
{
    private static readonly TimeSpan Retention = TimeSpan.FromMinutes(10);
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Series> _series = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _byTarget = new(StringComparer.Ordinal);

    /// <summary>Stores one scrape of a target: every sample, stale markers for the target's series that are gone.</summary>
    public void Append(string target, IEnumerable<IReadOnlyDictionary<string, string>> labelSets, IEnumerable<double> values, DateTimeOffset at)
    {
        lock (_lock)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (labels, value) in labelSets.Zip(values))
            {
                var key = Key(labels);
                if (!_series.TryGetValue(key, out var series))
                {
                    _series[key] = series = new Series(labels);
                }

                series.StaleSince = null;
                series.Samples.Add((at, value));
                series.Samples.RemoveAll(s => s.At < at - Retention);
                seen.Add(key);
            }

            foreach (var gone in _byTarget.GetValueOrDefault(target, []).Except(seen))
            {
                _series[gone].StaleSince ??= at;
            }

            _byTarget[target] = seen;
        }
    }

    /// <summary>The target is no longer scraped (pod gone): its series end now.</summary>
    public void MarkTargetStale(string target, DateTimeOffset at)
    {
        lock (_lock)
        {
            foreach (var key in _byTarget.GetValueOrDefault(target, []))
            {
                _series[key].StaleSince ??= at;
            }

            _byTarget.Remove(target);
        }
    }

    /// <summary>Copies of the series whose name is <paramref name="name"/>.</summary>
    public IReadOnlyList<Series> Named(string name)
    {
        lock (_lock)
        {
            return _series.Values.Where(s => s.Labels.GetValueOrDefault("__name__") == name).Select(Copy).ToList();
        }
    }

    private static Series Copy(Series s)
    {
        var copy = new Series(s.Labels) { StaleSince = s.StaleSince };
        copy.Samples.AddRange(s.Samples);
        return copy;
    }

    private static string Key(IReadOnlyDictionary<string, string> labels) =>
        string.Join('\u0001', labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => l.Key + "=" + l.Value));
}
