using System.Text.Json.Nodes;
using Chat.Deploy.Tests.Infrastructure;

namespace Chat.Deploy.Tests.Checks;

/// <summary>One verb on one resource that a service account needs, cluster-wide or in its own namespace only.</summary>
public sealed record Permission(string ApiGroup, string Resource, string Verb, bool ClusterWide)
{
    public override string ToString() =>
        $"{Verb} {(ApiGroup.Length == 0 ? "" : ApiGroup + "/")}{Resource} ({(ClusterWide ? "cluster-wide" : "own namespace")})";
}

/// <summary>
/// RBAC of a service account against what its code calls: every needed permission is granted (at the needed scope),
/// and nothing else is (least privilege: no wildcard, no extra verb or resource, nothing cluster-wide that is only
/// needed in the own namespace). Bindings must name a Role/ClusterRole and the account that exist.
/// </summary>
public static class Rbac
{
    public static IReadOnlyList<string> Find(JsonArray objects, string ns, string serviceAccount, IEnumerable<Permission> required)
    {
        var problems = new List<string>();
        var who = $"ServiceAccount {ns}/{serviceAccount}";
        if (!objects.OfKind("ServiceAccount").Any(a => a.Name() == serviceAccount && a.Namespace() == ns))
        {
            problems.Add($"{who} does not exist");
        }

        var granted = Grants(objects, ns, serviceAccount, problems).ToList();
        var needed = required.ToList();
        foreach (var permission in needed)
        {
            if (!granted.Any(g => g.ApiGroup == permission.ApiGroup && g.Resource == permission.Resource && g.Verb == permission.Verb
                    && (g.ClusterWide || !permission.ClusterWide)))
            {
                problems.Add($"{who} lacks {permission}");
            }
        }

        foreach (var grant in granted)
        {
            if (grant.ApiGroup == "*" || grant.Resource == "*" || grant.Verb == "*")
            {
                problems.Add($"{who} is granted a wildcard: {grant}");
            }
            else if (!needed.Any(p => p.ApiGroup == grant.ApiGroup && p.Resource == grant.Resource && p.Verb == grant.Verb && (p.ClusterWide || !grant.ClusterWide)))
            {
                problems.Add($"{who} is granted more than its code needs: {grant}");
            }
        }

        return problems;
    }

    /// <summary>Every (group, resource, verb) the account gets through bindings, with the scope it gets it in.</summary>
    private static IEnumerable<Permission> Grants(JsonArray objects, string ns, string serviceAccount, List<string> problems)
    {
        foreach (var binding in objects.OfKind("ClusterRoleBinding").Concat(objects.OfKind("RoleBinding")))
        {
            if (!binding["subjects"].Array().Any(s => s["kind"]?.ToString() == "ServiceAccount" && s["name"]?.ToString() == serviceAccount
                    && (s["namespace"]?.ToString() ?? binding.Namespace()) == ns))
            {
                continue;
            }

            var roleKind = binding["roleRef"]?["kind"]?.ToString() ?? "";
            var roleName = binding["roleRef"]?["name"]?.ToString();
            var role = objects.OfKind(roleKind).FirstOrDefault(r => r.Name() == roleName && (roleKind == "ClusterRole" || r.Namespace() == binding.Namespace()));
            if (role is null)
            {
                problems.Add($"{binding.Id()}: roleRef {roleKind} {roleName} does not exist");
                continue;
            }

            // A RoleBinding grants only in its namespace, even when it refers to a ClusterRole.
            var clusterWide = binding.Kind() == "ClusterRoleBinding";
            if (!clusterWide && binding.Namespace() != ns)
            {
                continue;
            }

            foreach (var rule in role["rules"].Array())
            {
                foreach (var group in Strings(rule["apiGroups"]))
                {
                    foreach (var resource in Strings(rule["resources"]))
                    {
                        foreach (var verb in Strings(rule["verbs"]))
                        {
                            yield return new Permission(group, resource, verb, clusterWide);
                        }
                    }
                }
            }
        }
    }

    private static IEnumerable<string> Strings(JsonNode? node) => (node as JsonArray ?? []).Select(n => n?.ToString() ?? "");
}
