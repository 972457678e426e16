namespace Chat.LoadTest.Metrics;

/// <summary>
/// A set of non-negative longs (room offsets, a publisher's sequence numbers) stored as 64-bit words, so a
/// client that received a million messages holds about 16 KB per room rather than a hash entry per message.
/// Not thread-safe: each owner locks around it.
/// </summary>
public sealed class OffsetSet
{
    private readonly Dictionary<long, ulong> _words = [];

    public long Count { get; private set; }

    public long Min { get; private set; } = long.MaxValue;

    public long Max { get; private set; } = long.MinValue;

    /// <summary>Adds the value; false when it was already there.</summary>
    public bool Add(long value)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value);
        var key = value >> 6;
        var bit = 1UL << (int)(value & 63);
        _words.TryGetValue(key, out var word);
        if ((word & bit) != 0)
        {
            return false;
        }

        _words[key] = word | bit;
        Count++;
        Min = Math.Min(Min, value);
        Max = Math.Max(Max, value);
        return true;
    }

    public bool Contains(long value) =>
        value >= 0 && _words.TryGetValue(value >> 6, out var word) && (word & (1UL << (int)(value & 63))) != 0;

    /// <summary>How many values of [from, to] are not in the set.</summary>
    public long CountMissing(long from, long to)
    {
        if (to < from)
        {
            return 0;
        }

        long present = 0;
        for (var key = from >> 6; key <= to >> 6; key++)
        {
            if (!_words.TryGetValue(key, out var word))
            {
                continue;
            }

            var low = Math.Max(from, key << 6) - (key << 6);
            var high = Math.Min(to, (key << 6) + 63) - (key << 6);
            var mask = high - low == 63 ? ulong.MaxValue : ((1UL << (int)(high - low + 1)) - 1) << (int)low;
            present += System.Numerics.BitOperations.PopCount(word & mask);
        }

        return to - from + 1 - present;
    }

    /// <summary>The first values of [from, to] that are not in the set, at most <paramref name="limit"/>.</summary>
    public IEnumerable<long> Missing(long from, long to, int limit)
    {
        for (var value = from; value <= to && limit > 0; value++)
        {
            if (!Contains(value))
            {
                limit--;
                yield return value;
            }
        }
    }

    /// <summary>How many values of this set are not in <paramref name="other"/>.</summary>
    public long CountNotIn(OffsetSet other)
    {
        long missing = 0;
        foreach (var (key, word) in _words)
        {
            other._words.TryGetValue(key, out var theirs);
            missing += System.Numerics.BitOperations.PopCount(word & ~theirs);
        }

        return missing;
    }
}
