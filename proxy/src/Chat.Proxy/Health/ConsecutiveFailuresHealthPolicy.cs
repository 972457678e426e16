using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.Model;

namespace Chat.Proxy.Health;

/// <summary>
/// Passive health check for long-lived connections: after <see cref="FailureThreshold"/> transport failures in a
/// row (connection refused, upgrade failed) a destination is taken out for the cluster's reactivation period
/// (<see cref="ChatProxyMetadata.PassiveReactivation"/>); a success resets the count.
/// YARP's TransportFailureRate does not fit WebSockets: it keeps a destination out for at least its 60 s
/// detection window whatever the configured reactivation, and a tunnel counts as a success only when it closes,
/// so a replica restarted on the same address stayed out for most of a minute.
/// </summary>
internal sealed class ConsecutiveFailuresHealthPolicy(IDestinationHealthUpdater healthUpdater) : IPassiveHealthCheckPolicy
{
    public const int FailureThreshold = 3;

    private static readonly TimeSpan DefaultReactivation = TimeSpan.FromSeconds(10);
    private readonly ConditionalWeakTable<DestinationState, StrongBox<int>> _failuresInARow = new();

    public string Name => ChatProxyPolicies.ConsecutiveFailuresHealth;

    public void RequestProxied(HttpContext context, ClusterState cluster, DestinationState destination)
    {
        var failures = _failuresInARow.GetValue(destination, static _ => new StrongBox<int>());
        if (!TransportFailed(context))
        {
            Volatile.Write(ref failures.Value, 0);
            return;
        }

        if (Interlocked.Increment(ref failures.Value) >= FailureThreshold)
        {
            Volatile.Write(ref failures.Value, 0);
            var reactivation = cluster.Model.Config.HealthCheck?.Passive?.ReactivationPeriod ?? DefaultReactivation;
            healthUpdater.SetPassive(cluster, destination, DestinationHealth.Unhealthy, reactivation);
        }
    }

    private static bool TransportFailed(HttpContext context) =>
        !context.RequestAborted.IsCancellationRequested
        && context.Features.Get<IForwarderErrorFeature>()?.Error is ForwarderError.Request
            or ForwarderError.RequestTimedOut
            or ForwarderError.UpgradeRequestDestination
            or ForwarderError.UpgradeResponseDestination;
}
