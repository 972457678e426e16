using Chat.IngressController.GatewayApi.Models;

namespace Chat.IngressController.GatewayApi;

/// <summary>A snapshot of the Gateway API objects (and Namespace labels) the controller watches.</summary>
public sealed class GatewayApiObjects
{
    public IReadOnlyList<GatewayClass> GatewayClasses { get; init; } = [];
    public IReadOnlyList<Gateway> Gateways { get; init; } = [];
    public IReadOnlyList<HttpRoute> HttpRoutes { get; init; } = [];
    public IReadOnlyList<ReferenceGrant> ReferenceGrants { get; init; } = [];
    public IReadOnlyList<ConnectionPolicy> Policies { get; init; } = [];

    /// <summary>Labels by namespace name (kubernetes.io/metadata.name included, as the API server sets it).</summary>
    public IReadOnlyDictionary<string, IDictionary<string, string>> NamespaceLabels { get; init; } = new Dictionary<string, IDictionary<string, string>>();

    /// <summary>Builds a snapshot from loose objects (tests, benchmarks).</summary>
    public static GatewayApiObjects From(IEnumerable<object> objects)
    {
        var list = objects.ToList();
        return new GatewayApiObjects
        {
            GatewayClasses = list.OfType<GatewayClass>().ToList(),
            Gateways = list.OfType<Gateway>().ToList(),
            HttpRoutes = list.OfType<HttpRoute>().ToList(),
            ReferenceGrants = list.OfType<ReferenceGrant>().ToList(),
            Policies = list.OfType<ConnectionPolicy>().ToList(),
            NamespaceLabels = list.OfType<k8s.Models.V1Namespace>().ToDictionary(n => n.Metadata.Name,
                n => (IDictionary<string, string>)(n.Metadata.Labels ?? new Dictionary<string, string>())),
        };
    }
}
