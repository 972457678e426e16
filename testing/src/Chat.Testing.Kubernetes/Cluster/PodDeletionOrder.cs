namespace Chat.Testing.Kubernetes.Cluster;

/// <summary>
/// Which pods a ReplicaSet removes first when it scales down (controller.ActivePodsWithRanks, with the
/// PodDeletionCost and LogarithmicScaleDown features on, as by default): not yet running before running, not
/// ready before ready, lower <c>controller.kubernetes.io/pod-deletion-cost</c> first, then (both ready) the more
/// recently ready on a log2 scale of ready time, more restarts first, newer first, ties by UID. All pods share one
/// node here, so the "doubled up on a node" rank never decides.
/// </summary>
public static class PodDeletionOrder
{
    public static IReadOnlyList<LocalPod> Rank(IEnumerable<LocalPod> pods, DateTimeOffset now)
    {
        var list = pods.Select(p => (Pod: p, Cost: p.DeletionCost)).ToList();
        list.Sort((a, b) => Compare(a.Pod, a.Cost, b.Pod, b.Cost, now));
        return list.Select(x => x.Pod).ToList();
    }

    private static int Compare(LocalPod a, int costA, LocalPod b, int costB, DateTimeOffset now)
    {
        if (a.Running != b.Running)
        {
            return a.Running ? 1 : -1;
        }

        if (a.Ready != b.Ready)
        {
            return a.Ready ? 1 : -1;
        }

        if (costA != costB)
        {
            return costA.CompareTo(costB);
        }

        if (a.Ready && b.Ready && a.ReadySince is { } readyA && b.ReadySince is { } readyB && readyA != readyB)
        {
            var diff = Log2Age(readyA, now) - Log2Age(readyB, now);
            return diff != 0 ? diff : string.CompareOrdinal(a.Uid, b.Uid);
        }

        if (a.Restarts != b.Restarts)
        {
            return b.Restarts.CompareTo(a.Restarts);
        }

        return a.CreatedAt != b.CreatedAt ? b.CreatedAt.CompareTo(a.CreatedAt) : string.CompareOrdinal(a.Uid, b.Uid);
    }

    private static int Log2Age(DateTimeOffset since, DateTimeOffset now) =>
        (int)Math.Floor(Math.Log2(Math.Max(1, (now - since).Ticks * 100.0)));
}
