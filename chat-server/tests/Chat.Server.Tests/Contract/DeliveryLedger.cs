namespace Chat.Server.Tests.Contract;

/// <summary>Every delivery of a room's messages to one client across its connections, counted per offset.</summary>
internal sealed class DeliveryLedger
{
    private readonly Lock _lock = new();
    private readonly Dictionary<long, int> _counts = [];
    private readonly HashSet<string> _epochs = [];

    public string? Epoch { get; private set; }

    /// <summary>The highest offset delivered so far: where a reconnect resumes from.</summary>
    public long Last { get; private set; }

    public void Record(string epoch, long offset)
    {
        lock (_lock)
        {
            _epochs.Add(epoch);
            Epoch = epoch;
            _counts[offset] = _counts.GetValueOrDefault(offset) + 1;
            Last = Math.Max(Last, offset);
        }
    }

    public bool HasAll(long from, long to)
    {
        lock (_lock)
        {
            for (var offset = from; offset <= to; offset++)
            {
                if (!_counts.ContainsKey(offset))
                {
                    return false;
                }
            }

            return true;
        }
    }

    /// <summary>Offsets in [from, to] not delivered exactly once, and epochs other than one.</summary>
    public IReadOnlyList<string> Problems(long from, long to)
    {
        lock (_lock)
        {
            var problems = new List<string>();
            for (var offset = from; offset <= to; offset++)
            {
                var count = _counts.GetValueOrDefault(offset);
                if (count != 1)
                {
                    problems.Add($"offset {offset} delivered {count} times");
                }
            }

            if (_epochs.Count != 1)
            {
                problems.Add($"epochs seen: {string.Join(", ", _epochs)}");
            }

            return problems;
        }
    }
}
