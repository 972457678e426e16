using System.Collections.Immutable;
using Chat.IngressController.GatewayApi.Translation;

namespace Chat.IngressController.GatewayApi.Proxy;

/// <summary>
/// The hostnames of the programmed listeners on each controller port, for listener isolation: a request goes only
/// to routes of the most specific listener its host matches (exact, then the longest wildcard, then no hostname);
/// and the ports of Gateways with their own address, on which nothing but their routes is served.
/// </summary>
public sealed class GatewayListenerIndex
{
    private ImmutableDictionary<int, IReadOnlyList<string>> _byPort = ImmutableDictionary<int, IReadOnlyList<string>>.Empty;
    private ImmutableHashSet<int> _gatewayPorts = [];

    public void Update(IReadOnlyDictionary<int, IReadOnlyList<string>> byPort, IEnumerable<int> gatewayPorts)
    {
        Volatile.Write(ref _byPort, byPort.ToImmutableDictionary(kv => kv.Key,
            kv => (IReadOnlyList<string>)kv.Value.OrderBy(h => Hostnames.Specificity(h.Length == 0 ? null : h)).ToList()));
        Volatile.Write(ref _gatewayPorts, gatewayPorts.ToImmutableHashSet());
    }

    /// <summary>Whether a controller port is a Gateway's own (Ingress routes are not served there).</summary>
    public bool IsGatewayPort(int port) => Volatile.Read(ref _gatewayPorts).Contains(port);

    /// <summary>The listener hostname a request host belongs to on a port ("" = the listener without hostname), or null for none.</summary>
    public string? MostSpecific(int port, string host)
    {
        if (!Volatile.Read(ref _byPort).TryGetValue(port, out var hostnames))
        {
            return null;
        }

        foreach (var hostname in hostnames)
        {
            if (hostname.Length == 0 || Hostnames.Matches(hostname, host))
            {
                return hostname;
            }
        }

        return null;
    }
}
