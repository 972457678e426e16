using k8s;
using k8s.Models;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Chat.Ingress2Gateway;

/// <summary>
/// Reads multi-document YAML (and kind: List, as `kubectl get -o yaml` writes it): networking.k8s.io/v1 Ingresses
/// typed; every other object is skipped with a note. Text that is not YAML, or an Ingress that does not fit its
/// schema, is a <see cref="ConversionException"/>.
/// </summary>
public static class ManifestReader
{
    public static IReadOnlyList<V1Ingress> Read(string yaml, string source, Action<string> note)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new ConversionException($"{source}: not valid YAML at line {e.Start.Line}, column {e.Start.Column}: {e.Message}");
        }

        var ingresses = new List<V1Ingress>();
        foreach (var document in stream.Documents)
        {
            Add(document.RootNode, source, ingresses, note);
        }

        return ingresses;
    }

    private static void Add(YamlNode node, string source, List<V1Ingress> ingresses, Action<string> note)
    {
        if (node is YamlScalarNode { Value: null or "" or "~" or "null" })
        {
            return;
        }

        if (node is not YamlMappingNode mapping)
        {
            throw new ConversionException($"{source}: line {node.Start.Line}: a Kubernetes object must be a mapping");
        }

        var apiVersion = Scalar(mapping, "apiVersion");
        var kind = Scalar(mapping, "kind");
        var name = mapping.Children.TryGetValue("metadata", out var metadata) && metadata is YamlMappingNode m ? Scalar(m, "name") : null;
        if (kind is null || apiVersion is null)
        {
            throw new ConversionException($"{source}: line {node.Start.Line}: an object without apiVersion or kind");
        }

        if (kind == "List" && mapping.Children.TryGetValue("items", out var items) && items is YamlSequenceNode list)
        {
            foreach (var item in list)
            {
                Add(item, source, ingresses, note);
            }

            return;
        }

        if (kind != "Ingress" || apiVersion != "networking.k8s.io/v1")
        {
            note($"{source}: {apiVersion} {kind}{(name is null ? "" : " " + name)} is not a networking.k8s.io/v1 Ingress; skipped");
            return;
        }

        var writer = new StringWriter();
        new YamlStream(new YamlDocument(node)).Save(writer, assignAnchors: false);
        try
        {
            ingresses.Add(KubernetesYaml.Deserialize<V1Ingress>(writer.ToString()));
        }
        catch (YamlException e)
        {
            throw new ConversionException($"{source}: Ingress {name}: {e.InnerException?.Message ?? e.Message} (line {node.Start.Line + e.Start.Line - 1})");
        }
    }

    private static string? Scalar(YamlMappingNode mapping, string key) =>
        mapping.Children.TryGetValue(key, out var value) && value is YamlScalarNode scalar ? scalar.Value : null;
}
