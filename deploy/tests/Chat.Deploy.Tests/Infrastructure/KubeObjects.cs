using System.Text.Json.Nodes;

namespace Chat.Deploy.Tests.Infrastructure;

/// <summary>Navigation over rendered Kubernetes objects (JSON nodes), tolerant of missing parts.</summary>
public static class KubeObjects
{
    private static readonly HashSet<string> Workloads = ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job"];

    public static string Kind(this JsonNode obj) => obj["kind"]?.GetValue<string>() ?? "";

    public static string Name(this JsonNode obj) => obj["metadata"]?["name"]?.GetValue<string>() ?? "";

    public static string Namespace(this JsonNode obj) => obj["metadata"]?["namespace"]?.GetValue<string>() ?? "";

    /// <summary>"Kind namespace/name", for messages.</summary>
    public static string Id(this JsonNode obj) => $"{obj.Kind()} {obj.Namespace()}/{obj.Name()}".Replace(" /", " ", StringComparison.Ordinal);

    public static IEnumerable<JsonObject> OfKind(this JsonArray objects, string kind) =>
        objects.OfType<JsonObject>().Where(o => o.Kind() == kind);

    public static JsonObject Single(this JsonArray objects, string kind, string name) =>
        objects.OfKind(kind).Single(o => o.Name() == name);

    public static bool IsWorkload(this JsonNode obj) => Workloads.Contains(obj.Kind());

    public static IEnumerable<JsonObject> WorkloadsOf(this JsonArray objects) => objects.OfType<JsonObject>().Where(IsWorkload);

    public static JsonObject? PodTemplate(this JsonNode workload) => workload["spec"]?["template"] as JsonObject;

    public static IReadOnlyDictionary<string, string> Labels(this JsonNode? metadataOwner) => StringMap(metadataOwner?["metadata"]?["labels"]);

    public static IReadOnlyDictionary<string, string> Annotations(this JsonNode? metadataOwner) => StringMap(metadataOwner?["metadata"]?["annotations"]);

    public static IEnumerable<JsonObject> Containers(this JsonNode? podTemplate) =>
        (podTemplate?["spec"]?["initContainers"]?.AsArray() ?? []).Concat(podTemplate?["spec"]?["containers"]?.AsArray() ?? []).OfType<JsonObject>();

    public static IEnumerable<JsonObject> Array(this JsonNode? node) => (node as JsonArray ?? []).OfType<JsonObject>();

    public static IReadOnlyDictionary<string, string> StringMap(JsonNode? node) =>
        (node as JsonObject ?? []).ToDictionary(p => p.Key, p => p.Value?.ToString() ?? "");

    /// <summary>True when every pair of the selector is among the labels (an empty selector selects nothing here).</summary>
    public static bool Selects(IReadOnlyDictionary<string, string> selector, IReadOnlyDictionary<string, string> labels) =>
        selector.Count > 0 && selector.All(p => labels.TryGetValue(p.Key, out var value) && value == p.Value);

    /// <summary>The pod templates in a namespace that a label selector picks.</summary>
    public static IEnumerable<JsonObject> WorkloadsSelectedBy(this JsonArray objects, string ns, IReadOnlyDictionary<string, string> selector) =>
        objects.WorkloadsOf().Where(w => w.Namespace() == ns && Selects(selector, w.PodTemplate().Labels()));

    /// <summary>A JSON number as a long, whatever type the node was built with (parsed or set by a test); else null.</summary>
    public static long? Number(this JsonNode? node) =>
        node?.GetValueKind() == System.Text.Json.JsonValueKind.Number
            ? long.Parse(node.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture)
            : null;

    /// <summary>An env variable's literal value in a container, or null.</summary>
    public static string? Env(this JsonNode container, string name) =>
        container["env"].Array().FirstOrDefault(e => e["name"]?.GetValue<string>() == name)?["value"]?.ToString();
}
