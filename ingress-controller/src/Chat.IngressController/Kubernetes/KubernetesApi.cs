using Chat.IngressController.Hosting;
using k8s;
using k8s.LeaderElection.ResourceLock;
using k8s.Models;

namespace Chat.IngressController.Kubernetes;

/// <summary>
/// Every call the controller makes to the Kubernetes API, in one place; the permission each needs is in
/// <see cref="ControllerPermissions.Required"/> (named next to each call below).
/// </summary>
public sealed partial class KubernetesApi(IKubernetes client)
{
    public const string TlsSecretSelector = "type=kubernetes.io/tls";

    public IKubernetes Client => client;

    // networking.k8s.io ingressclasses list, watch (cluster)
    public ResourceApi<V1IngressClass> IngressClasses() => Make<V1IngressClass, V1IngressClassList>("IngressClass", null,
        ct => client.NetworkingV1.ListIngressClassAsync(cancellationToken: ct),
        (rv, timeout, onError, ct) => client.NetworkingV1.WatchListIngressClassAsync(
            allowWatchBookmarks: true, resourceVersion: rv, timeoutSeconds: timeout, onError: onError, cancellationToken: ct));

    // networking.k8s.io ingresses list, watch (watched namespaces)
    public ResourceApi<V1Ingress> Ingresses(string? ns) => Make<V1Ingress, V1IngressList>("Ingress", ns,
        ct => ns is null
            ? client.NetworkingV1.ListIngressForAllNamespacesAsync(cancellationToken: ct)
            : client.NetworkingV1.ListNamespacedIngressAsync(ns, cancellationToken: ct),
        (rv, timeout, onError, ct) => ns is null
            ? client.NetworkingV1.WatchListIngressForAllNamespacesAsync(
                allowWatchBookmarks: true, resourceVersion: rv, timeoutSeconds: timeout, onError: onError, cancellationToken: ct)
            : client.NetworkingV1.WatchListNamespacedIngressAsync(ns,
                allowWatchBookmarks: true, resourceVersion: rv, timeoutSeconds: timeout, onError: onError, cancellationToken: ct));

    // core services list, watch (watched namespaces; the controller's namespace for its own Service)
    public ResourceApi<V1Service> Services(string? ns, string? fieldSelector = null) => Make<V1Service, V1ServiceList>("Service", ns,
        ct => ns is null
            ? client.CoreV1.ListServiceForAllNamespacesAsync(fieldSelector: fieldSelector, cancellationToken: ct)
            : client.CoreV1.ListNamespacedServiceAsync(ns, fieldSelector: fieldSelector, cancellationToken: ct),
        (rv, timeout, onError, ct) => ns is null
            ? client.CoreV1.WatchListServiceForAllNamespacesAsync(fieldSelector: fieldSelector,
                allowWatchBookmarks: true, resourceVersion: rv, timeoutSeconds: timeout, onError: onError, cancellationToken: ct)
            : client.CoreV1.WatchListNamespacedServiceAsync(ns, fieldSelector: fieldSelector,
                allowWatchBookmarks: true, resourceVersion: rv, timeoutSeconds: timeout, onError: onError, cancellationToken: ct));

    // discovery.k8s.io endpointslices list, watch (watched namespaces)
    public ResourceApi<V1EndpointSlice> EndpointSlices(string? ns) => Make<V1EndpointSlice, V1EndpointSliceList>("EndpointSlice", ns,
        ct => ns is null
            ? client.DiscoveryV1.ListEndpointSliceForAllNamespacesAsync(cancellationToken: ct)
            : client.DiscoveryV1.ListNamespacedEndpointSliceAsync(ns, cancellationToken: ct),
        (rv, timeout, onError, ct) => ns is null
            ? client.DiscoveryV1.WatchListEndpointSliceForAllNamespacesAsync(
                allowWatchBookmarks: true, resourceVersion: rv, timeoutSeconds: timeout, onError: onError, cancellationToken: ct)
            : client.DiscoveryV1.WatchListNamespacedEndpointSliceAsync(ns,
                allowWatchBookmarks: true, resourceVersion: rv, timeoutSeconds: timeout, onError: onError, cancellationToken: ct));

    // core secrets list, watch (watched namespaces), TLS secrets only
    public ResourceApi<V1Secret> TlsSecrets(string? ns) => Make<V1Secret, V1SecretList>("Secret", ns,
        ct => ns is null
            ? client.CoreV1.ListSecretForAllNamespacesAsync(fieldSelector: TlsSecretSelector, cancellationToken: ct)
            : client.CoreV1.ListNamespacedSecretAsync(ns, fieldSelector: TlsSecretSelector, cancellationToken: ct),
        (rv, timeout, onError, ct) => ns is null
            ? client.CoreV1.WatchListSecretForAllNamespacesAsync(fieldSelector: TlsSecretSelector,
                allowWatchBookmarks: true, resourceVersion: rv, timeoutSeconds: timeout, onError: onError, cancellationToken: ct)
            : client.CoreV1.WatchListNamespacedSecretAsync(ns, fieldSelector: TlsSecretSelector,
                allowWatchBookmarks: true, resourceVersion: rv, timeoutSeconds: timeout, onError: onError, cancellationToken: ct));

    // core configmaps list, watch (controller namespace), one ConfigMap by name
    public ResourceApi<V1ConfigMap> ConfigMap(ObjectKey key) => Make<V1ConfigMap, V1ConfigMapList>("ConfigMap", key.Namespace,
        ct => client.CoreV1.ListNamespacedConfigMapAsync(key.Namespace, fieldSelector: NameSelector(key.Name), cancellationToken: ct),
        (rv, timeout, onError, ct) => client.CoreV1.WatchListNamespacedConfigMapAsync(key.Namespace, fieldSelector: NameSelector(key.Name),
            allowWatchBookmarks: true, resourceVersion: rv, timeoutSeconds: timeout, onError: onError, cancellationToken: ct));

    // networking.k8s.io ingresses/status patch (watched namespaces)
    public Task PatchIngressStatusAsync(string ns, string name, V1IngressLoadBalancerStatus loadBalancer, CancellationToken ct)
    {
        var patch = new { status = new { loadBalancer } };
        return client.NetworkingV1.PatchNamespacedIngressStatusAsync(
            new V1Patch(KubernetesJson.Serialize(patch), V1Patch.PatchType.MergePatch), name, ns, cancellationToken: ct);
    }

    // core services create, patch, delete (controller namespace): the Services of Gateways with their own address
    public Task CreateServiceAsync(V1Service service, CancellationToken ct) =>
        client.CoreV1.CreateNamespacedServiceAsync(service, service.Metadata.NamespaceProperty, cancellationToken: ct);

    public Task PatchServiceAsync(V1Service service, CancellationToken ct)
    {
        var patch = new { metadata = new { labels = service.Metadata.Labels, annotations = service.Metadata.Annotations }, spec = new { type = service.Spec.Type, selector = service.Spec.Selector, ports = service.Spec.Ports } };
        return client.CoreV1.PatchNamespacedServiceAsync(new V1Patch(KubernetesJson.Serialize(patch), V1Patch.PatchType.MergePatch),
            service.Metadata.Name, service.Metadata.NamespaceProperty, cancellationToken: ct);
    }

    public Task DeleteServiceAsync(string ns, string name, CancellationToken ct) =>
        client.CoreV1.DeleteNamespacedServiceAsync(name, ns, cancellationToken: ct);

    // core events create (watched namespaces)
    public Task CreateEventAsync(Corev1Event evt, CancellationToken ct) =>
        client.CoreV1.CreateNamespacedEventAsync(evt, evt.Metadata.NamespaceProperty, cancellationToken: ct);

    // coordination.k8s.io leases get, create, update (controller namespace), called by LeaderElector
    public LeaseLock LeaseLock(string ns, string name, string identity) => new(client, ns, name, identity);

    public static string NameSelector(string name) => "metadata.name=" + name;

    private static ResourceApi<T> Make<T, TList>(string kind, string? ns,
        Func<CancellationToken, Task<TList>> list,
        Func<string, int, Action<Exception>, CancellationToken, IAsyncEnumerable<(WatchEventType, T)>> watch)
        where T : IKubernetesObject<V1ObjectMeta>
        where TList : IKubernetesObject<V1ListMeta>, IItems<T> =>
        new(kind, ns,
            async ct =>
            {
                var result = await list(ct);
                return (result.Items ?? [], result.Metadata?.ResourceVersion ?? "");
            },
            (rv, onError, ct) => watch(rv, WatchTimeoutSeconds(), onError, ct));

    // Like client-go: the server ends each watch after 5-10 minutes, spreading re-watches over time.
    private static int WatchTimeoutSeconds() => 300 + Random.Shared.Next(300);
}
