using System.Globalization;
using System.Text.Json.Nodes;
using Chat.IngressController.GatewayApi.Models;
using k8s;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Chat.Ingress2Gateway;

/// <summary>
/// Objects as multi-document YAML, through their JSON form (the API server's field names, nulls left out, the
/// models' computed properties skipped); strings that would read as another type are quoted.
/// </summary>
public static class YamlWriter
{
    public static string Write(IEnumerable<GatewayApiObject> objects)
    {
        var writer = new StringWriter { NewLine = "\n" };
        foreach (var item in objects)
        {
            var json = JsonNode.Parse(KubernetesJson.Serialize(item))!.AsObject();
            // apiVersion, kind and metadata first, as kubectl writes them.
            var node = new JsonObject(json.OrderBy(kv => Array.IndexOf(Leading, kv.Key) is var i and >= 0 ? i : Leading.Length)
                .Select(kv => KeyValuePair.Create(kv.Key, kv.Value?.DeepClone())));
            writer.Write("---\n");
            var text = new StringWriter { NewLine = "\n" };
            new YamlStream(new YamlDocument(ToYaml(node))).Save(text, assignAnchors: false);
            writer.Write(text.ToString().Replace("\n...\n", "\n", StringComparison.Ordinal).TrimEnd('\n') + "\n");
        }

        return writer.ToString();
    }

    private static readonly string[] Leading = ["apiVersion", "kind", "metadata"];

    private static YamlNode ToYaml(JsonNode? node) => node switch
    {
        JsonObject o => new YamlMappingNode(o.Select(kv => new KeyValuePair<YamlNode, YamlNode>(new YamlScalarNode(kv.Key), ToYaml(kv.Value)))),
        JsonArray a => new YamlSequenceNode(a.Select(ToYaml)),
        JsonValue v when v.TryGetValue(out string? s) => new YamlScalarNode(s) { Style = Ambiguous(s) ? ScalarStyle.DoubleQuoted : ScalarStyle.Plain },
        JsonValue v => new YamlScalarNode(v.ToJsonString()),
        _ => new YamlScalarNode("null"),
    };

    /// <summary>Whether a string written plain would read as a number, a boolean, null or nothing, or is not plain-safe.</summary>
    private static bool Ambiguous(string s) =>
        s.Length == 0 || s.Trim() != s
        || double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out _)
        || s.ToLowerInvariant() is "true" or "false" or "yes" or "no" or "on" or "off" or "null" or "~" or "y" or "n"
        || s.IndexOfAny([':', '#', '{', '}', '[', ']', ',', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`', '\n']) >= 0
        || s[0] is '-' or '?';
}
