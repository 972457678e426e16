using System.Collections.Frozen;
using Chat.IngressController.GatewayApi.Models;
using k8s.Models;

namespace Chat.IngressController.GatewayApi.Addresses;

/// <summary>
/// Where one Gateway is served: on the controller's own address (its Service; the HttpPort and HttpsPort), or on
/// an address of its own, its LoadBalancer Service, whose listener ports lead to pod ports of GatewayPorts.
/// </summary>
public sealed record GatewayAddressing
{
    public static GatewayAddressing SharedAddress { get; } = new() { Shared = true };

    public bool Shared { get; init; }

    /// <summary>"namespace/name" of the Gateway's own Service.</summary>
    public string? Service { get; init; }

    /// <summary>Listener port → pod port; a listener port missing here got none (see <see cref="Problem"/>).</summary>
    public IReadOnlyDictionary<int, int> PodPorts { get; init; } = FrozenDictionary<int, int>.Empty;

    /// <summary>Why a listener port has no pod port (no free port left, no selector to give the Service).</summary>
    public string? Problem { get; init; }

    /// <summary>The addresses of its own Service (load balancer, else external or cluster IPs).</summary>
    public IReadOnlyList<GatewayAddress> Addresses { get; init; } = [];
}

/// <summary>Every Gateway's addressing, the pod ports to listen on (plain and TLS) and the Services the leader keeps.</summary>
public sealed record GatewayAddressPlan(
    IReadOnlyDictionary<string, GatewayAddressing> ByGateway,
    IReadOnlySet<int> HttpPorts,
    IReadOnlySet<int> HttpsPorts,
    IReadOnlyList<V1Service> Services)
{
    /// <summary>All Gateways on the controller's own address (GatewayPorts not set).</summary>
    public static GatewayAddressPlan AllShared { get; } = new(FrozenDictionary<string, GatewayAddressing>.Empty, FrozenSet<int>.Empty, FrozenSet<int>.Empty, []);

    public GatewayAddressing For(string gatewayKey) => ByGateway.GetValueOrDefault(gatewayKey) ?? GatewayAddressing.SharedAddress;

    public bool IsGatewayPort(int port) => HttpPorts.Contains(port) || HttpsPorts.Contains(port);
}
