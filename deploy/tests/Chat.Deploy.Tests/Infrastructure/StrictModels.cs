using System.Reflection;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Chat.Deploy.Tests.Infrastructure;

/// <summary>
/// Reads built-in kinds into KubernetesClient's typed models with strict YAML deserialization: a field the API
/// does not have (a typo, a wrong nesting level) is an error, as `kubectl apply --validate=strict` would report.
/// </summary>
public static class StrictModels
{
    /// <summary>"apiVersion/kind" of every built-in model type the client knows.</summary>
    private static readonly HashSet<string> BuiltIn = typeof(V1Pod).Assembly.GetTypes()
        .Select(t => t.GetCustomAttribute<KubernetesEntityAttribute>())
        .OfType<KubernetesEntityAttribute>()
        .Select(a => (string.IsNullOrEmpty(a.Group) ? a.ApiVersion : $"{a.Group}/{a.ApiVersion}") + "/" + a.Kind)
        .ToHashSet(StringComparer.Ordinal);

    public static bool IsBuiltIn(JsonNode obj) => BuiltIn.Contains($"{obj["apiVersion"]}/{obj.Kind()}");

    /// <summary>Problems of the built-in objects; other kinds (custom resources) are left to <see cref="JsonSchemas"/>.</summary>
    public static IReadOnlyList<string> Validate(JsonArray objects)
    {
        var problems = new List<string>();
        foreach (var obj in objects.OfType<JsonObject>().Where(IsBuiltIn))
        {
            try
            {
                // JSON is YAML: the object goes through the client's own YAML reader unchanged.
                KubernetesYaml.LoadAllFromString(obj.ToJsonString(), strict: true);
            }
            catch (Exception e)
            {
                problems.Add($"{obj.Id()}: {e.GetBaseException().Message}");
            }
        }

        return problems;
    }
}
