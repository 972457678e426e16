namespace Chat.Server.Balancing;

/// <summary>How many connections a replica holds above its fair share of the cluster's.</summary>
public static class FairShare
{
    /// <summary>
    /// Connections to close: none while <paramref name="own"/> is within fair share × (1 + tolerance) or the excess
    /// is at most <paramref name="minExcess"/>; otherwise down to the fair share (rounded up), so the closed
    /// clients land on the replicas below it.
    /// </summary>
    public static int Excess(long own, IReadOnlyCollection<long> replicas, double tolerance, int minExcess)
    {
        if (replicas.Count < 2)
        {
            return 0;
        }

        var fair = (double)replicas.Sum() / replicas.Count;
        var target = (long)Math.Ceiling(fair);
        if (own <= fair * (1 + tolerance) || own - target <= minExcess)
        {
            return 0;
        }

        return (int)Math.Min(int.MaxValue, own - target);
    }
}
