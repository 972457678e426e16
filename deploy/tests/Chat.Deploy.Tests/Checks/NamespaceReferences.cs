using System.Text.Json.Nodes;
using Chat.Deploy.Tests.Infrastructure;

namespace Chat.Deploy.Tests.Checks;

/// <summary>
/// The namespace is named once (the kustomization's `namespace:`): rendered into another namespace, no object, RBAC
/// subject, env value or KEDA address still names the old one.
/// </summary>
public static class NamespaceReferences
{
    public static IReadOnlyList<string> Find(JsonArray objects, string expected, string old)
    {
        var problems = new List<string>();
        foreach (var item in objects.OfType<JsonObject>())
        {
            if (item["metadata"]?["namespace"] is { } ns && ns.ToString() != expected)
            {
                problems.Add($"{item.Id()} is in namespace {ns}");
            }

            foreach (var subject in item["subjects"].Array().Where(s => s["namespace"] is { } n && n.ToString() != expected))
            {
                problems.Add($"{item.Id()}: subject {subject["name"]} in namespace {subject["namespace"]}");
            }

            foreach (var container in item.IsWorkload() ? item.PodTemplate().Containers() : [])
            {
                foreach (var env in container["env"].Array().Where(e => e["value"]?.ToString() is { } v && (v.StartsWith(old + "/", StringComparison.Ordinal) || v.Contains("." + old + ".", StringComparison.Ordinal))))
                {
                    problems.Add($"{item.Id()}: env {env["name"]}={env["value"]} names namespace {old}");
                }
            }

            foreach (var trigger in item["spec"]?["triggers"].Array() ?? [])
            {
                var address = trigger["metadata"]?["serverAddress"]?.ToString() ?? "";
                var query = trigger["metadata"]?["query"]?.ToString() ?? "";
                if (address.Contains("." + old + ".", StringComparison.Ordinal) || query.Contains($"namespace=\"{old}\"", StringComparison.Ordinal))
                {
                    problems.Add($"{item.Id()}: trigger {trigger["name"]} names namespace {old}");
                }
            }
        }

        return problems;
    }
}
