using Yarp.ReverseProxy.Model;

namespace Chat.Proxy.Balancing;

/// <summary>
/// The destination with the fewest connections cluster-wide (see <see cref="DestinationLoad"/>); ties rotate so a
/// burst onto equal destinations spreads.
/// </summary>
internal sealed class LeastConnectionsPicker(DestinationLoadTracker loads)
{
    private int _tieBreak;

    public DestinationState? Pick(IReadOnlyList<DestinationState> destinations)
    {
        var count = destinations.Count;
        if (count == 0)
        {
            return null;
        }

        var start = (int)((uint)Interlocked.Increment(ref _tieBreak) % (uint)count);
        DestinationState? best = null;
        var bestLoad = long.MaxValue;
        for (var i = 0; i < count; i++)
        {
            var candidate = destinations[(start + i) % count];
            var load = loads.Estimate(candidate);
            if (load < bestLoad)
            {
                best = candidate;
                bestLoad = load;
            }
        }

        return best;
    }
}
