using Chat.Deploy.Tests.Checks;

namespace Chat.Deploy.Tests;

/// <summary>The API permissions the ingress controller's code uses.</summary>
public static class ControllerNeeds
{
    public static IReadOnlyList<Permission> Required { get; } =
    [
        .. Verbs("networking.k8s.io", "ingressclasses", true, "get", "list", "watch"),
        .. Verbs("networking.k8s.io", "ingresses", true, "get", "list", "watch"),
        .. Verbs("networking.k8s.io", "ingresses/status", true, "update", "patch"),
        .. Verbs("", "services", true, "get", "list", "watch"),
        .. Verbs("", "secrets", true, "get", "list", "watch"),
        .. Verbs("discovery.k8s.io", "endpointslices", true, "get", "list", "watch"),
        .. Verbs("", "events", true, "create", "patch"),
        .. Verbs("coordination.k8s.io", "leases", false, "get", "create", "update"),
        .. Verbs("", "configmaps", false, "get", "list", "watch"),
    ];

    private static IEnumerable<Permission> Verbs(string group, string resource, bool clusterWide, params string[] verbs) =>
        verbs.Select(v => new Permission(group, resource, v, clusterWide));
}
