using Chat.Deploy.Tests.Checks;
using Chat.IngressController.Kubernetes;

namespace Chat.Deploy.Tests;

/// <summary>
/// The API permissions the ingress controller's code uses (its own ControllerPermissions list), for the way k8s/
/// deploys it: watching all namespaces, so what it needs in the watched namespaces is granted cluster-wide.
/// </summary>
public static class ControllerNeeds
{
    public static IReadOnlyList<Permission> Required { get; } = ControllerPermissions.Required
        .SelectMany(p => p.Verbs.Select(verb => new Permission(p.ApiGroup, p.Resource, verb, p.Scope != PermissionScope.ControllerNamespace)))
        .Distinct()
        .ToList();
}
