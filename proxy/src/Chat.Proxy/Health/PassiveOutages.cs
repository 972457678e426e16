using System.Runtime.CompilerServices;
using Yarp.ReverseProxy.Model;

namespace Chat.Proxy.Health;

/// <summary>
/// Why the passive check last took a destination out, kept beside YARP's own destination state. When every failure
/// of the streak was a refused connection, nothing was listening on the address: the process was gone, so the first
/// good readiness answer from that address means it is back (restarted), even if no probe ever saw it down. A crash
/// and restart on the same address often takes less than one probe interval.
/// </summary>
internal sealed class PassiveOutages
{
    private readonly ConditionalWeakTable<DestinationState, StrongBox<bool>> _nothingListened = new();

    public void TakenOut(DestinationState destination, bool nothingListened) =>
        Volatile.Write(ref _nothingListened.GetValue(destination, static _ => new StrongBox<bool>()).Value, nothingListened);

    /// <summary>True once for a destination taken out because nothing listened: its readiness answer ends that outage.</summary>
    public bool EndIfNothingListened(DestinationState destination) =>
        _nothingListened.TryGetValue(destination, out var box) && Interlocked.Exchange(ref box.Value, false);
}
