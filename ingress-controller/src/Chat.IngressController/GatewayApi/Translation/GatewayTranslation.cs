using Chat.IngressController.GatewayApi.Addresses;
using Chat.IngressController.GatewayApi.Models;
using Yarp.ReverseProxy.Configuration;

namespace Chat.IngressController.GatewayApi.Translation;

/// <summary>A TLS certificate for an HTTPS listener on a controller port: exact or wildcard host, or null for a listener without hostname.</summary>
public sealed record GatewayCertificate(int LocalPort, string? Host, string SecretKey);

/// <summary>The proxy configuration and the status of every object of this controller.</summary>
public sealed record GatewayTranslation(
    IReadOnlyList<RouteConfig> Routes,
    IReadOnlyList<ClusterConfig> Clusters,
    IReadOnlyList<GatewayCertificate> Certificates,
    IReadOnlyDictionary<int, IReadOnlyList<string>> ListenerHostnames,
    IReadOnlyList<(GatewayClass Object, GatewayClassStatus Status)> ClassStatuses,
    IReadOnlyList<(Gateway Object, GatewayStatus Status)> GatewayStatuses,
    IReadOnlyList<(HttpRoute Object, IReadOnlyList<RouteParentStatus> Parents)> RouteStatuses,
    IReadOnlyList<(ConnectionPolicy Object, PolicyStatus Status)> PolicyStatuses)
{
    /// <summary>Which Gateways have their own address, their pod ports and Services.</summary>
    public GatewayAddressPlan Plan { get; init; } = GatewayAddressPlan.AllShared;

    public static GatewayTranslation Empty { get; } = new([], [], [], new Dictionary<int, IReadOnlyList<string>>(), [], [], [], []);
}
