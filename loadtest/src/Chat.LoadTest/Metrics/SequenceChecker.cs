namespace Chat.LoadTest.Metrics;

/// <summary>
/// One client's view of the rooms it is in: which offsets arrived, per room and epoch. A pushed message whose
/// offset already arrived is a duplicate; an offset missing between where the client started and the highest it
/// saw is a gap. Messages a client asked for (a resume reply) fill gaps and never count as duplicates.
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

    /// <summary>
    /// Records an arrival: new, an expected repeat, or a duplicate. Only an offset pushed twice is a duplicate:
    /// a resume reply may overlap with what the server pushes around it, by design, and the client shows it once.
    /// </summary>
    public Arrival Record(string room, string epoch, long offset, bool requested)
    {
        lock (_lock)
        {
            var sequence = Get(room, epoch);
            if (!requested && !sequence.Pushed.Add(offset))
            {
                sequence.Duplicates++;
                return Arrival.Duplicate;
            }

            return sequence.Offsets.Add(offset) ? Arrival.New : Arrival.Repeat;
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

/// <summary>How a message's arrival relates to what the client already had.</summary>
public enum Arrival
{
    New,
    Repeat,
    Duplicate,
}
