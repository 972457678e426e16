using Chat.IngressController.GatewayApi.Addresses;
using Chat.IngressController.GatewayApi.Models;
using Chat.IngressController.Translation;
using k8s.Models;

namespace Chat.IngressController.GatewayApi.Translation;

/// <summary>Everything the Gateway API translation reads: the objects, the shared cluster state, and the controller's own settings.</summary>
public sealed class GatewayTranslationInput
{
    public required GatewayApiObjects Objects { get; init; }
    public required ClusterState Cluster { get; init; }
    public string ControllerName { get; init; } = "chat.io/gateway-controller";
    public int HttpPort { get; init; } = 8080;
    public int HttpsPort { get; init; } = 8443;
    public TimeSpan DefaultDrain { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The addresses the controller is reached at (its own Service), for Gateway status.</summary>
    public IReadOnlyList<GatewayAddress> Addresses { get; init; } = [];

    /// <summary>The names a Gateway may give as a NamedAddress to share the controller's address: its Service's "name" and "namespace/name".</summary>
    public IReadOnlyList<string> OwnAddressNames { get; init; } = [];

    /// <summary>Which Gateways have an address of their own, and their pod ports.</summary>
    public GatewayAddressPlan Plan { get; init; } = GatewayAddressPlan.AllShared;

    /// <summary>Pod ports of the plan that could not be opened, with the reason.</summary>
    public IReadOnlyDictionary<int, string> UnavailablePorts { get; init; } = new Dictionary<int, string>();

    /// <summary>Whether a TLS Secret holds a usable certificate and key (cached by the certificate store).</summary>
    public Func<string, V1Secret, bool> CertificateValid { get; init; } = (_, s) => s.Data?.ContainsKey("tls.crt") == true && s.Data.ContainsKey("tls.key");

    private ReferenceGrants? _grants;

    public ReferenceGrants Grants => _grants ??= new ReferenceGrants(Objects.ReferenceGrants);
}
