namespace Chat.LoadTest.Metrics;

/// <summary>
/// One client's view of the rooms it is in, per room and epoch: which offsets the client handed to the application,
/// and which the server pushed. An offset missing between where the client started and the highest it handed over
/// is a gap; an offset handed over twice, or pushed twice by the server, is a duplicate. What a join recovers (its
/// history, what was missed) is not a push, so it never counts as a duplicate.
/// </summary>
public sealed class SequenceChecker
{
    private readonly Dictionary<string, Dictionary<string, EpochSequence>> _rooms = [];
    private readonly Lock _lock = new();

    /// <summary>The room's position when the client joined: the next message it must see is offset + 1.</summary>
    public void Baseline(string room, string epoch, long offset)
    {
        lock (_lock)
        {
            var sequence = Get(room, epoch);
            sequence.Baseline ??= offset;
        }
    }

    /// <summary>Records a message handed to the application: new, or a duplicate (handed over before).</summary>
    public Arrival Delivered(string room, string epoch, long offset)
    {
        lock (_lock)
        {
            var sequence = Get(room, epoch);
            if (sequence.Offsets.Add(offset))
            {
                return Arrival.New;
            }

            sequence.Duplicates++;
            return Arrival.Duplicate;
        }
    }

    /// <summary>Records a message the server pushed; true when it pushed that offset before (a duplicate).</summary>
    public bool Pushed(string room, string epoch, long offset)
    {
        lock (_lock)
        {
            var sequence = Get(room, epoch);
            if (sequence.Pushed.Add(offset))
            {
                return false;
            }

            sequence.Duplicates++;
            return true;
        }
    }

    public IReadOnlyList<RoomSequenceReport> Report()
    {
        lock (_lock)
        {
            var reports = new List<RoomSequenceReport>();
            foreach (var (room, epochs) in _rooms)
            {
                foreach (var (epoch, sequence) in epochs)
                {
                    var offsets = sequence.Offsets;
                    if (offsets.Count == 0)
                    {
                        reports.Add(new RoomSequenceReport(room, epoch, 0, 0, sequence.Duplicates, sequence.Baseline, null, []));
                        continue;
                    }

                    var first = sequence.Baseline is { } baseline ? Math.Min(baseline + 1, offsets.Min) : offsets.Min;
                    var gaps = offsets.CountMissing(first, offsets.Max);
                    reports.Add(new RoomSequenceReport(room, epoch, offsets.Count, gaps, sequence.Duplicates, sequence.Baseline, offsets.Max,
                        gaps == 0 ? [] : [.. offsets.Missing(first, offsets.Max, 5)]));
                }
            }

            return reports;
        }
    }

    private EpochSequence Get(string room, string epoch)
    {
        if (!_rooms.TryGetValue(room, out var epochs))
        {
            _rooms[room] = epochs = [];
        }

        if (!epochs.TryGetValue(epoch, out var sequence))
        {
            epochs[epoch] = sequence = new EpochSequence();
        }

        return sequence;
    }

    private sealed class EpochSequence
    {
        public OffsetSet Offsets { get; } = new();

        public OffsetSet Pushed { get; } = new();

        public long? Baseline { get; set; }

        public long Duplicates { get; set; }
    }
}

/// <summary>What one client saw of one room's epoch.</summary>
public sealed record RoomSequenceReport(string Room, string Epoch, long Received, long Gaps, long Duplicates, long? Baseline, long? LastOffset,
    IReadOnlyList<long> FirstMissing);

/// <summary>How a message relates to what the client already handed over.</summary>
public enum Arrival
{
    New,
    Duplicate,
}
