using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Model;

namespace Chat.Proxy.Balancing;

/// <summary>
/// The <see cref="DestinationLoad"/> of every destination, attached to YARP's own destination state so it lives
/// exactly as long as the destination does (and survives configuration reloads that keep it).
/// </summary>
public sealed class DestinationLoadTracker(IOptions<ChatProxyOptions> options, TimeProvider time)
{
    private readonly ConditionalWeakTable<DestinationState, DestinationLoad> _loads = new();
    private readonly ChatProxyOptions _options = options.Value;

    public DestinationLoad For(DestinationState destination) => _loads.GetValue(destination, static _ => new DestinationLoad());

    public long NowMs => time.GetTimestamp() * 1000 / time.TimestampFrequency;

    public long Estimate(DestinationState destination) => For(destination).Estimate(NowMs, _options.AssignmentWindow, _options.ReportMaxAge);

    public void Report(DestinationState destination, long connections) => For(destination).Report(connections, NowMs);

    public void RecordAssignment(DestinationState destination) => For(destination).RecordAssignment(NowMs);

    /// <summary>The count each live destination last reported; destinations without a report are left out.</summary>
    public IEnumerable<(string Destination, long Connections)> Reports()
    {
        foreach (var (destination, load) in _loads)
        {
            if (load.Reported is { } connections)
            {
                yield return (destination.DestinationId, connections);
            }
        }
    }
}
