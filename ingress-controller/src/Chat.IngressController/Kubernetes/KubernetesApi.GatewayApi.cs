using Chat.IngressController.GatewayApi.Models;
using k8s;
using k8s.Models;

namespace Chat.IngressController.Kubernetes;

/// <summary>The Gateway API calls (and the Namespaces that allowedRoutes selectors read); permissions in <see cref="ControllerPermissions"/>.</summary>
public sealed partial class KubernetesApi
{
    // gateway.networking.k8s.io gatewayclasses list, watch (cluster)
    public ResourceApi<GatewayClass> GatewayClasses() =>
        Custom<GatewayClass>(GatewayApiNames.GatewayClassKind, GatewayApiNames.Group, GatewayApiNames.Version, GatewayApiNames.GatewayClasses, null);

    // gateway.networking.k8s.io gateways list, watch (watched namespaces)
    public ResourceApi<Gateway> Gateways(string? ns) =>
        Custom<Gateway>(GatewayApiNames.GatewayKind, GatewayApiNames.Group, GatewayApiNames.Version, GatewayApiNames.Gateways, ns);

    // gateway.networking.k8s.io httproutes list, watch (watched namespaces)
    public ResourceApi<HttpRoute> HttpRoutes(string? ns) =>
        Custom<HttpRoute>(GatewayApiNames.HttpRouteKind, GatewayApiNames.Group, GatewayApiNames.Version, GatewayApiNames.HttpRoutes, ns);

    // gateway.networking.k8s.io referencegrants list, watch (watched namespaces), v1beta1
    public ResourceApi<ReferenceGrant> ReferenceGrants(string? ns) =>
        Custom<ReferenceGrant>(GatewayApiNames.ReferenceGrantKind, GatewayApiNames.Group, GatewayApiNames.ReferenceGrantVersion, GatewayApiNames.ReferenceGrants, ns);

    // chat.io connectionpolicies list, watch (watched namespaces)
    public ResourceApi<ConnectionPolicy> ConnectionPolicies(string? ns) =>
        Custom<ConnectionPolicy>(GatewayApiNames.PolicyKind, GatewayApiNames.PolicyGroup, GatewayApiNames.PolicyVersion, GatewayApiNames.Policies, ns);

    // core namespaces list, watch (cluster): labels for allowedRoutes namespace selectors
    public ResourceApi<V1Namespace> Namespaces() => Make<V1Namespace, V1NamespaceList>("Namespace", null,
        ct => Client.CoreV1.ListNamespaceAsync(cancellationToken: ct),
        (rv, timeout, onError, ct) => Client.CoreV1.WatchListNamespaceAsync(
            allowWatchBookmarks: true, resourceVersion: rv, timeoutSeconds: timeout, onError: onError, cancellationToken: ct));

    // gateway.networking.k8s.io gatewayclasses/status, gateways/status, httproutes/status and chat.io connectionpolicies/status patch
    public Task PatchStatusAsync(string group, string version, string plural, string? ns, string name, object status, CancellationToken ct)
    {
        var body = new V1Patch(KubernetesJson.Serialize(new { status }), V1Patch.PatchType.MergePatch);
        return ns is null
            ? Client.CustomObjects.PatchClusterCustomObjectStatusAsync(body, group, version, plural, name, cancellationToken: ct)
            : Client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(body, group, version, ns, plural, name, cancellationToken: ct);
    }

    private ResourceApi<T> Custom<T>(string kind, string group, string version, string plural, string? ns)
        where T : IKubernetesObject<V1ObjectMeta> =>
        new(kind, ns,
            async ct =>
            {
                var list = ns is null
                    ? await Client.CustomObjects.ListClusterCustomObjectAsync<KubeList<T>>(group, version, plural, cancellationToken: ct)
                    : await Client.CustomObjects.ListNamespacedCustomObjectAsync<KubeList<T>>(group, version, ns, plural, cancellationToken: ct);
                return (list.Items ?? [], list.Metadata?.ResourceVersion ?? "");
            },
            (rv, onError, ct) => Typed<T>(ns is null
                ? Client.CustomObjects.WatchListClusterCustomObjectAsync(group, version, plural,
                    allowWatchBookmarks: true, resourceVersion: rv, timeoutSeconds: WatchTimeoutSeconds(), onError: onError, cancellationToken: ct)
                : Client.CustomObjects.WatchListNamespacedCustomObjectAsync(group, version, ns, plural,
                    allowWatchBookmarks: true, resourceVersion: rv, timeoutSeconds: WatchTimeoutSeconds(), onError: onError, cancellationToken: ct)));

    private static async IAsyncEnumerable<(WatchEventType, T)> Typed<T>(IAsyncEnumerable<(WatchEventType, object)> events)
    {
        await foreach (var (type, item) in events)
        {
            var json = item is System.Text.Json.JsonElement element ? element.GetRawText() : KubernetesJson.Serialize(item);
            yield return (type, KubernetesJson.Deserialize<T>(json));
        }
    }
}
