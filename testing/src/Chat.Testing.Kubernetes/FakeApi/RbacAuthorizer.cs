using k8s.Models;

namespace Chat.Testing.Kubernetes.FakeApi;

/// <summary>
/// Kubernetes RBAC over the Roles, ClusterRoles and bindings of the manifests: a service account may do what a
/// rule bound to it allows (ClusterRoleBinding: everywhere; RoleBinding: in its namespace), nothing else.
/// Wildcards and resourceNames work as in the API server; aggregated ClusterRoles and groups other than
/// service accounts are not modelled.
/// </summary>
public sealed class RbacAuthorizer
{
    private readonly List<(string? Namespace, V1PolicyRule Rule, string User)> _grants = [];

    public RbacAuthorizer(IEnumerable<object> objects)
    {
        var list = objects.ToList();
        var roles = list.OfType<V1Role>().ToDictionary(r => (r.Metadata.NamespaceProperty, r.Metadata.Name));
        var clusterRoles = list.OfType<V1ClusterRole>().ToDictionary(r => r.Metadata.Name);
        foreach (var binding in list.OfType<V1ClusterRoleBinding>())
        {
            var rules = clusterRoles.GetValueOrDefault(binding.RoleRef.Name)?.Rules ?? [];
            Add(null, rules, binding.Subjects, null);
        }

        foreach (var binding in list.OfType<V1RoleBinding>())
        {
            var ns = binding.Metadata.NamespaceProperty;
            var rules = binding.RoleRef.Kind == "ClusterRole"
                ? clusterRoles.GetValueOrDefault(binding.RoleRef.Name)?.Rules ?? []
                : roles.GetValueOrDefault((ns, binding.RoleRef.Name))?.Rules ?? [];
            Add(ns, rules, binding.Subjects, ns);
        }
    }

    public static string ServiceAccountUser(string ns, string name) => $"system:serviceaccount:{ns}:{name}";

    public bool Allows(ApiRequest request) =>
        request.User is { } user && _grants.Any(g => g.User == user
            && (g.Namespace is null || g.Namespace == request.Namespace)
            && Matches(g.Rule.ApiGroups, request.ApiGroup)
            && Matches(g.Rule.Resources, request.Resource)
            && Matches(g.Rule.Verbs, request.Verb)
            && (g.Rule.ResourceNames is not { Count: > 0 } names || (request.Name is { } name && names.Contains(name))));

    private void Add(string? ns, IEnumerable<V1PolicyRule> rules, IEnumerable<Rbacv1Subject>? subjects, string? bindingNamespace)
    {
        foreach (var subject in subjects ?? [])
        {
            if (subject.Kind != "ServiceAccount")
            {
                continue;
            }

            var user = ServiceAccountUser(subject.NamespaceProperty ?? bindingNamespace ?? "default", subject.Name);
            foreach (var rule in rules)
            {
                _grants.Add((ns, rule, user));
            }
        }
    }

    private static bool Matches(IList<string>? allowed, string value) => allowed is not null && (allowed.Contains("*") || allowed.Contains(value));
}
