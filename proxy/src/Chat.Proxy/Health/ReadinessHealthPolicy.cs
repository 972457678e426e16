using System.Globalization;
using Chat.Proxy.Balancing;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.Model;

namespace Chat.Proxy.Health;

/// <summary>
/// Active health check for chat replicas: a 2xx readiness answer makes a destination healthy, anything else
/// (503 while draining, no answer) unhealthy at once, so a draining replica gets no new connections from the next
/// probe on, and one that answers again is back at once, also if passive checks took it out while it was down:
/// when a probe saw it down, or when the passive check took it out for refused connections only (nothing listened:
/// a restart on the same address is often quicker than one probe interval, and no probe sees it down).
/// Every answer's <see cref="ChatProxyPolicies.ConnectionsHeader"/> is the replica's reported connection
/// count, which least-connections balancing uses.
/// </summary>
internal sealed class ReadinessHealthPolicy(IDestinationHealthUpdater healthUpdater, DestinationLoadTracker loads, PassiveOutages outages)
    : IActiveHealthCheckPolicy
{
    public string Name => ChatProxyPolicies.ReadinessHealth;

    public void ProbingCompleted(ClusterState cluster, IReadOnlyList<DestinationProbingResult> probingResults)
    {
        if (probingResults.Count == 0)
        {
            return;
        }

        var newHealth = new NewActiveDestinationHealth[probingResults.Count];
        for (var i = 0; i < probingResults.Count; i++)
        {
            var result = probingResults[i];
            var response = result.Response;
            if (response is not null
                && response.Headers.TryGetValues(ChatProxyPolicies.ConnectionsHeader, out var values)
                && long.TryParse(values.FirstOrDefault(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var connections)
                && connections >= 0)
            {
                loads.Report(result.Destination, connections);
            }

            var healthy = response is { IsSuccessStatusCode: true } && result.Exception is null;
            if (healthy && result.Destination.Health.Passive == DestinationHealth.Unhealthy
                && (outages.EndIfNothingListened(result.Destination) || result.Destination.Health.Active == DestinationHealth.Unhealthy))
            {
                // Came back (restarted on the same address): the transport failures that took it out are history.
                healthUpdater.SetPassive(cluster, result.Destination, DestinationHealth.Unknown, TimeSpan.Zero);
            }

            newHealth[i] = new NewActiveDestinationHealth(result.Destination, healthy ? DestinationHealth.Healthy : DestinationHealth.Unhealthy);
        }

        healthUpdater.SetActive(cluster, newHealth);
    }
}
