using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.Model;

namespace Chat.Proxy.Health;

/// <summary>
/// Passive health check for long-lived connections: after <see cref="FailureThreshold"/> transport failures in a
/// row (connection refused, upgrade failed) a destination is taken out for the cluster's reactivation period
/// (<see cref="ChatProxyMetadata.PassiveReactivation"/>); a success resets the count. Whether the streak was only
/// refused connections is recorded in <see cref="PassiveOutages"/>, so the readiness probe can end such an outage
/// as soon as the address answers again.
/// YARP's TransportFailureRate does not fit WebSockets: it keeps a destination out for at least its 60 s
/// detection window whatever the configured reactivation, and a tunnel counts as a success only when it closes,
/// so a replica restarted on the same address stayed out for most of a minute.
/// </summary>
internal sealed class ConsecutiveFailuresHealthPolicy(IDestinationHealthUpdater healthUpdater, PassiveOutages outages) : IPassiveHealthCheckPolicy
{
    public const int FailureThreshold = 3;

    private static readonly TimeSpan DefaultReactivation = TimeSpan.FromSeconds(10);
    private readonly ConditionalWeakTable<DestinationState, Streak> _streaks = new();

    public string Name => ChatProxyPolicies.ConsecutiveFailuresHealth;

    public void RequestProxied(HttpContext context, ClusterState cluster, DestinationState destination)
    {
        var streak = _streaks.GetValue(destination, static _ => new Streak());
        var error = TransportError(context);
        if (error is null)
        {
            streak.Reset();
            return;
        }

        if (streak.Fail(Refused(error)) is { } nothingListened)
        {
            outages.TakenOut(destination, nothingListened);
            var reactivation = cluster.Model.Config.HealthCheck?.Passive?.ReactivationPeriod ?? DefaultReactivation;
            healthUpdater.SetPassive(cluster, destination, DestinationHealth.Unhealthy, reactivation);
        }
    }

    /// <summary>The forwarder's error feature when the request failed on the way to or from the destination.</summary>
    private static IForwarderErrorFeature? TransportError(HttpContext context) =>
        !context.RequestAborted.IsCancellationRequested
        && context.Features.Get<IForwarderErrorFeature>() is { Error: ForwarderError.Request or ForwarderError.RequestTimedOut
            or ForwarderError.UpgradeRequestDestination or ForwarderError.UpgradeResponseDestination } error
            ? error
            : null;

    private static bool Refused(IForwarderErrorFeature error)
    {
        for (var exception = error.Exception; exception is not null; exception = exception.InnerException)
        {
            if (exception is SocketException { SocketErrorCode: SocketError.ConnectionRefused })
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Failures in a row of one destination, and whether all of them were refused connections.</summary>
    private sealed class Streak
    {
        private readonly Lock _lock = new();
        private int _failures;
        private bool _allRefused = true;

        public void Reset()
        {
            if (Volatile.Read(ref _failures) == 0)
            {
                return;
            }

            lock (_lock)
            {
                _failures = 0;
                _allRefused = true;
            }
        }

        /// <summary>Counts a failure; at the threshold, starts a new streak and returns whether this one was refusals only.</summary>
        public bool? Fail(bool refused)
        {
            lock (_lock)
            {
                _allRefused &= refused;
                if (++_failures < FailureThreshold)
                {
                    return null;
                }

                var nothingListened = _allRefused;
                _failures = 0;
                _allRefused = true;
                return nothingListened;
            }
        }
    }
}
