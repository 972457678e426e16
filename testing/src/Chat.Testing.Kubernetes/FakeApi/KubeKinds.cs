namespace Chat.Testing.Kubernetes.FakeApi;

/// <summary>A kind the fake API server stores: its API group, version and plural resource name.</summary>
public sealed record KubeKind(string Kind, string Group, string Version, string Resource)
{
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";
}

/// <summary>The kinds the fake API server and the cluster harness know.</summary>
public static class KubeKinds
{
    private static readonly KubeKind[] Known =
    [
        new("Namespace", "", "v1", "namespaces"),
        new("Pod", "", "v1", "pods"),
        new("Service", "", "v1", "services"),
        new("ServiceAccount", "", "v1", "serviceaccounts"),
        new("ConfigMap", "", "v1", "configmaps"),
        new("Secret", "", "v1", "secrets"),
        new("Event", "", "v1", "events"),
        new("EndpointSlice", "discovery.k8s.io", "v1", "endpointslices"),
        new("Ingress", "networking.k8s.io", "v1", "ingresses"),
        new("IngressClass", "networking.k8s.io", "v1", "ingressclasses"),
        new("Lease", "coordination.k8s.io", "v1", "leases"),
        new("Deployment", "apps", "v1", "deployments"),
        new("ReplicaSet", "apps", "v1", "replicasets"),
        new("HorizontalPodAutoscaler", "autoscaling", "v2", "horizontalpodautoscalers"),
        new("PodDisruptionBudget", "policy", "v1", "poddisruptionbudgets"),
        new("Role", "rbac.authorization.k8s.io", "v1", "roles"),
        new("ClusterRole", "rbac.authorization.k8s.io", "v1", "clusterroles"),
        new("RoleBinding", "rbac.authorization.k8s.io", "v1", "rolebindings"),
        new("ClusterRoleBinding", "rbac.authorization.k8s.io", "v1", "clusterrolebindings"),
        new("ScaledObject", "keda.sh", "v1alpha1", "scaledobjects"),
    ];

    public static KubeKind Of(string kind) =>
        Known.FirstOrDefault(k => k.Kind == kind) ?? throw new ArgumentException("the fake API server does not know kind " + kind);

    public static KubeKind? ByResource(string resource) => Known.FirstOrDefault(k => k.Resource == resource);

    /// <summary>Cluster-scoped kinds have no namespace.</summary>
    public static bool IsClusterScoped(string kind) => kind is "Namespace" or "IngressClass" or "ClusterRole" or "ClusterRoleBinding";
}
