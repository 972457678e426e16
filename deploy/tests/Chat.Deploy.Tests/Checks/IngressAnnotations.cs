using System.Text.Json.Nodes;
using Chat.Deploy.Tests.Infrastructure;

namespace Chat.Deploy.Tests.Checks;

/// <summary>
/// Every ingress-nginx or chat.io annotation on an Ingress, and every key of the controller's ConfigMap, is one the
/// controller reads: a misspelt timeout is otherwise silently ignored and long connections are cut at the default.
/// </summary>
public static class IngressAnnotations
{
    public static IReadOnlyList<string> Find(JsonArray objects, IReadOnlyDictionary<string, string> supported, string configMapName)
    {
        var problems = new List<string>();
        var prefixes = supported.Values.Distinct().ToList();
        foreach (var ingress in objects.OfKind("Ingress"))
        {
            foreach (var key in ingress.Annotations().Keys)
            {
                var prefix = prefixes.FirstOrDefault(p => key.StartsWith(p, StringComparison.Ordinal));
                if (prefix is not null && supported.GetValueOrDefault(key[prefix.Length..]) != prefix)
                {
                    problems.Add($"{ingress.Id()}: annotation {key} is not one the controller reads");
                }
            }
        }

        var configMap = objects.OfKind("ConfigMap").FirstOrDefault(c => c.Name() == configMapName);
        if (configMap is null)
        {
            problems.Add($"no ConfigMap {configMapName}");
            return problems;
        }

        foreach (var key in KubeObjects.StringMap(configMap["data"]).Keys.Where(k => !supported.ContainsKey(k)))
        {
            problems.Add($"{configMap.Id()}: key {key} is not a setting the controller reads");
        }

        return problems;
    }
}
