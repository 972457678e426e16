namespace Chat.IngressController.Kubernetes;

/// <summary>Where a permission must be granted.</summary>
public enum PermissionScope
{
    /// <summary>A ClusterRole: the resource is cluster-scoped.</summary>
    Cluster,

    /// <summary>
    /// The namespaces the controller watches (<c>IngressController:Namespaces</c>): a ClusterRole when it watches all
    /// namespaces, else a Role in each watched namespace.
    /// </summary>
    WatchedNamespaces,

    /// <summary>A Role in the controller's own namespace (Lease, ConfigMap, its own Service).</summary>
    ControllerNamespace,
}

/// <summary>One RBAC rule: verbs on a resource of an API group ("" = core).</summary>
public sealed record ApiPermission(string ApiGroup, string Resource, IReadOnlyList<string> Verbs, PermissionScope Scope, string Why);

/// <summary>
/// Every Kubernetes API permission the controller's code uses, for least-privilege RBAC. Each entry matches call
/// sites in <see cref="KubernetesApi"/> (the only class that calls the API); a test checks every request the
/// controller makes against this list.
/// </summary>
public static class ControllerPermissions
{
    public static IReadOnlyList<ApiPermission> Required { get; } =
    [
        new("networking.k8s.io", "ingressclasses", ["list", "watch"], PermissionScope.Cluster,
            "which IngressClasses name this controller, and the default class"),
        new("networking.k8s.io", "ingresses", ["list", "watch"], PermissionScope.WatchedNamespaces,
            "the routing rules"),
        new("networking.k8s.io", "ingresses/status", ["patch"], PermissionScope.WatchedNamespaces,
            "status.loadBalancer of Ingresses of this class (leader only)"),
        new("", "services", ["list", "watch"], PermissionScope.WatchedNamespaces,
            "backend port names and ExternalName services"),
        new("", "services", ["list", "watch"], PermissionScope.ControllerNamespace,
            "the controller's own Service (PublishService), when its namespace is not watched"),
        new("discovery.k8s.io", "endpointslices", ["list", "watch"], PermissionScope.WatchedNamespaces,
            "backend addresses with ready/serving/terminating conditions"),
        new("", "secrets", ["list", "watch"], PermissionScope.WatchedNamespaces,
            "TLS certificates (field selector type=kubernetes.io/tls)"),
        new("", "services", ["create", "patch", "delete"], PermissionScope.ControllerNamespace,
            "the LoadBalancer Services of Gateways with their own address (IngressController:GatewayPorts; leader only)"),
        new("", "configmaps", ["list", "watch"], PermissionScope.ControllerNamespace,
            "global settings (IngressController:ConfigMap, field selector on its name)"),
        new("", "events", ["create"], PermissionScope.WatchedNamespaces,
            "invalid annotations and rejected rules reported on the Ingress"),
        new("coordination.k8s.io", "leases", ["get", "create", "update"], PermissionScope.ControllerNamespace,
            "leader election (IngressController:LeaseName in LeaseNamespace)"),
        new("gateway.networking.k8s.io", "gatewayclasses", ["list", "watch"], PermissionScope.Cluster,
            "which GatewayClasses name this controller (IngressController:GatewayControllerName)"),
        new("gateway.networking.k8s.io", "gatewayclasses/status", ["patch"], PermissionScope.Cluster,
            "GatewayClass Accepted and SupportedVersion (leader only)"),
        new("gateway.networking.k8s.io", "gateways", ["list", "watch"], PermissionScope.WatchedNamespaces,
            "listeners of this controller's Gateways"),
        new("gateway.networking.k8s.io", "gateways/status", ["patch"], PermissionScope.WatchedNamespaces,
            "Gateway addresses, conditions and listener status (leader only)"),
        new("gateway.networking.k8s.io", "httproutes", ["list", "watch"], PermissionScope.WatchedNamespaces,
            "the HTTP routing rules"),
        new("gateway.networking.k8s.io", "httproutes/status", ["patch"], PermissionScope.WatchedNamespaces,
            "status.parents entries of this controller (leader only)"),
        new("gateway.networking.k8s.io", "referencegrants", ["list", "watch"], PermissionScope.WatchedNamespaces,
            "cross-namespace backendRefs and certificateRefs"),
        new("chat.io", "connectionpolicies", ["list", "watch"], PermissionScope.WatchedNamespaces,
            "least connections, idle timeouts and drain for Gateway API backends"),
        new("chat.io", "connectionpolicies/status", ["patch"], PermissionScope.WatchedNamespaces,
            "whether each policy applies (leader only)"),
        new("", "namespaces", ["list", "watch"], PermissionScope.Cluster,
            "namespace labels for Gateway allowedRoutes selectors"),
    ];

    /// <summary>Whether a request (API group, resource incl. subresource, verb, namespaced) is covered by <see cref="Required"/>.</summary>
    public static bool Covers(string apiGroup, string resource, string verb, bool namespaced) =>
        Required.Any(p => p.ApiGroup == apiGroup && p.Resource == resource && p.Verbs.Contains(verb)
            && (namespaced || p.Scope != PermissionScope.ControllerNamespace));
}
