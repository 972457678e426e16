using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Chat.Testing.Kubernetes.Metrics;

/// <summary>
/// The pod scrape job of a prometheus.yml (the manifests' Prometheus ConfigMap): interval, timeout, job name,
/// namespaces of its kubernetes_sd_configs (role pod) and its relabel_configs.
/// </summary>
public sealed record ScrapeConfig(string Job, TimeSpan Interval, TimeSpan Timeout, bool OwnNamespaceOnly, IReadOnlyList<string> Namespaces, IReadOnlyList<RelabelRule> Relabel)
{
    public static ScrapeConfig FromPrometheusYaml(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        var global = Child(root, "global") as YamlMappingNode;
        var interval = Duration(Scalar(global, "scrape_interval")) ?? TimeSpan.FromMinutes(1);
        var timeout = Duration(Scalar(global, "scrape_timeout")) ?? TimeSpan.FromSeconds(10);
        var job = ((YamlSequenceNode)Child(root, "scrape_configs")!).Children.OfType<YamlMappingNode>()
            .First(j => Child(j, "kubernetes_sd_configs") is YamlSequenceNode sd
                && sd.Children.OfType<YamlMappingNode>().Any(c => Scalar(c, "role") == "pod"));
        var sdConfig = ((YamlSequenceNode)Child(job, "kubernetes_sd_configs")!).Children.OfType<YamlMappingNode>().First(c => Scalar(c, "role") == "pod");
        var namespaces = Child(sdConfig, "namespaces") as YamlMappingNode;
        var rules = (Child(job, "relabel_configs") as YamlSequenceNode)?.Children.OfType<YamlMappingNode>().Select(r => new RelabelRule(
            (Child(r, "source_labels") as YamlSequenceNode)?.Children.Select(c => ((YamlScalarNode)c).Value ?? "").ToList() ?? [],
            Scalar(r, "separator") ?? ";",
            Scalar(r, "regex") ?? "(.*)",
            Scalar(r, "replacement") ?? "$1",
            Scalar(r, "target_label"),
            Scalar(r, "action") ?? "replace")).ToList() ?? [];
        return new ScrapeConfig(
            Scalar(job, "job_name") ?? "pods",
            Duration(Scalar(job, "scrape_interval")) ?? interval,
            Duration(Scalar(job, "scrape_timeout")) ?? timeout,
            Scalar(namespaces, "own_namespace") == "true",
            (Child(namespaces, "names") as YamlSequenceNode)?.Children.Select(c => ((YamlScalarNode)c).Value ?? "").ToList() ?? [],
            rules);
    }

    private static YamlNode? Child(YamlMappingNode? node, string key) =>
        node is not null && node.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child : null;

    private static string? Scalar(YamlMappingNode? node, string key) => (Child(node, key) as YamlScalarNode)?.Value;

    private static TimeSpan? Duration(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        var amount = double.Parse(text[..^1], CultureInfo.InvariantCulture);
        return text[^1] switch
        {
            's' => TimeSpan.FromSeconds(amount),
            'm' => TimeSpan.FromMinutes(amount),
            'h' => TimeSpan.FromHours(amount),
            _ => throw new FormatException("unknown duration " + text),
        };
    }
}
