using Chat.IngressController.GatewayApi.Models;
using k8s;
using k8s.Models;

namespace Chat.IngressController.Tests.GatewayApi;

/// <summary>Reads YAML manifests (built-in kinds and the Gateway API's) into typed objects.</summary>
public static class Manifests
{
    private static readonly Dictionary<string, Type> GatewayKinds = new()
    {
        ["gateway.networking.k8s.io/v1/GatewayClass"] = typeof(GatewayClass),
        ["gateway.networking.k8s.io/v1/Gateway"] = typeof(Gateway),
        ["gateway.networking.k8s.io/v1/HTTPRoute"] = typeof(HttpRoute),
        ["gateway.networking.k8s.io/v1beta1/ReferenceGrant"] = typeof(ReferenceGrant),
        ["gateway.networking.k8s.io/v1/ReferenceGrant"] = typeof(ReferenceGrant),
        ["chat.io/v1alpha1/ConnectionPolicy"] = typeof(ConnectionPolicy),
    };

    public static IReadOnlyList<IKubernetesObject<V1ObjectMeta>> Load(string yaml) =>
        KubernetesYaml.LoadAllFromString(yaml, GatewayKinds).Cast<IKubernetesObject<V1ObjectMeta>>().ToList();
}
