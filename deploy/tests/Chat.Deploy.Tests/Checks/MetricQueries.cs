using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Chat.Deploy.Tests.Infrastructure;

namespace Chat.Deploy.Tests.Checks;

/// <summary>
/// KEDA's Prometheus triggers ask something that exists: the server address is a Service and port of the
/// manifests; every metric named is one the chat server exports; every label matched is one the Prometheus
/// scrape config attaches (or the metric's own), and a matcher on a pod label or the namespace names the values
/// the scaled workload really has. Prometheus finds pods by the same annotations the workloads carry.
/// </summary>
public static partial class MetricQueries
{
    /// <summary>Labels of the chat server's own instruments (DESIGN.md) and the ones Prometheus always adds.</summary>
    private static readonly HashSet<string> IntrinsicLabels =
        ["protocol", "kind", "job", "instance", "__name__", "http_route", "http_request_method", "http_response_status_code"];

    private static readonly HashSet<string> PromQlWords =
        ["by", "without", "on", "ignoring", "group_left", "group_right", "bool", "and", "or", "unless", "offset", "inf", "nan"];

    public static IReadOnlyList<string> Find(JsonArray objects, IReadOnlySet<string> exportedMetrics)
    {
        var problems = new List<string>();
        var config = PrometheusConfig(objects, problems);
        var relabels = config?["scrape_configs"].Array().SelectMany(s => s["relabel_configs"].Array()).ToList() ?? [];
        var sources = relabels.SelectMany(r => r["source_labels"]?.AsArray().Select(s => s?.ToString()) ?? []).ToHashSet();
        foreach (var annotation in new[] { PortReferences.ScrapeAnnotation, PortReferences.PortAnnotation })
        {
            if (config is not null && !sources.Contains("__meta_kubernetes_pod_annotation_" + Sanitize(annotation)))
            {
                problems.Add($"Prometheus config does not read the pod annotation {annotation} the workloads carry");
            }
        }

        foreach (var scaledObject in objects.OfKind("ScaledObject"))
        {
            var targetName = scaledObject["spec"]?["scaleTargetRef"]?["name"]?.ToString();
            var target = objects.WorkloadsOf().FirstOrDefault(w => w.Name() == targetName && w.Namespace() == scaledObject.Namespace());
            foreach (var trigger in scaledObject["spec"]?["triggers"].Array().Where(t => t["type"]?.ToString() == "prometheus") ?? [])
            {
                var at = $"{scaledObject.Id()} trigger {trigger["name"]}";
                problems.AddRange(AddressProblems(objects, at, trigger["metadata"]?["serverAddress"]?.ToString() ?? "", scaledObject.Namespace()));
                problems.AddRange(QueryProblems(at, trigger["metadata"]?["query"]?.ToString() ?? "", exportedMetrics, relabels, target));
            }
        }

        return problems;
    }

    private static JsonObject? PrometheusConfig(JsonArray objects, List<string> problems)
    {
        var text = objects.OfKind("ConfigMap").Select(c => c["data"]?["prometheus.yml"]?.ToString()).FirstOrDefault(t => t is not null);
        if (text is null)
        {
            problems.Add("no ConfigMap holds a prometheus.yml");
            return null;
        }

        return YamlJson.ParseObject(text);
    }

    private static IEnumerable<string> AddressProblems(JsonArray objects, string at, string address, string ns)
    {
        if (!Uri.TryCreate(address, UriKind.Absolute, out var uri))
        {
            yield return $"{at}: serverAddress \"{address}\" is not a URL";
            yield break;
        }

        // service[.namespace[.svc[.cluster.local]]]
        var parts = uri.Host.Split('.');
        var serviceNamespace = parts.Length > 1 ? parts[1] : ns;
        var service = objects.OfKind("Service").FirstOrDefault(s => s.Name() == parts[0] && s.Namespace() == serviceNamespace);
        if (service is null)
        {
            yield return $"{at}: serverAddress host {uri.Host} is no Service of the manifests";
        }
        else if (!service["spec"]?["ports"].Array().Any(p => p["port"].Number() == uri.Port) ?? true)
        {
            yield return $"{at}: serverAddress port {uri.Port} is not a port of {service.Id()}";
        }
    }

    private static IEnumerable<string> QueryProblems(string at, string query, IReadOnlySet<string> exported, List<JsonObject> relabels, JsonObject? target)
    {
        var targetLabels = relabels.Select(r => r["target_label"]?.ToString()).OfType<string>().ToHashSet();
        foreach (Match selector in SelectorPattern().Matches(query))
        {
            foreach (Match matcher in MatcherPattern().Matches(selector.Groups["matchers"].Value))
            {
                var label = matcher.Groups["label"].Value;
                var value = matcher.Groups["value"].Value;
                if (!targetLabels.Contains(label) && !IntrinsicLabels.Contains(label))
                {
                    yield return $"{at}: label {label} is attached by no relabel rule of the Prometheus config";
                    continue;
                }

                var source = relabels.FirstOrDefault(r => r["target_label"]?.ToString() == label)?["source_labels"]?[0]?.ToString();
                var actual = (source, target) switch
                {
                    ("__meta_kubernetes_namespace", { } t) => t.Namespace(),
                    ({ } s, { } t) when s.StartsWith("__meta_kubernetes_pod_label_", StringComparison.Ordinal) =>
                        t.PodTemplate().Labels().FirstOrDefault(p => Sanitize(p.Key) == s["__meta_kubernetes_pod_label_".Length..]).Value,
                    _ => value,
                };
                if (matcher.Groups["op"].Value == "=" && actual != value)
                {
                    yield return $"{at}: {label}=\"{value}\" but the scaled workload has {label}=\"{actual}\"";
                }
            }
        }

        var withoutSelectors = RangePattern().Replace(BracePattern().Replace(query, " "), " ");
        foreach (Match name in IdentifierPattern().Matches(withoutSelectors))
        {
            if (!PromQlWords.Contains(name.Value) && !exported.Contains(name.Value))
            {
                yield return $"{at}: metric {name.Value} is not exported by the chat server";
            }
        }
    }

    /// <summary>Prometheus's label-name sanitizing of Kubernetes label and annotation keys.</summary>
    private static string Sanitize(string key) => NonLabelCharacter().Replace(key, "_");

    [GeneratedRegex(@"(?<metric>[a-zA-Z_:][\w:]*)?\s*\{(?<matchers>[^}]*)\}")]
    private static partial Regex SelectorPattern();

    [GeneratedRegex("(?<label>[a-zA-Z_]\\w*)\\s*(?<op>=~|!~|!=|=)\\s*\"(?<value>[^\"]*)\"")]
    private static partial Regex MatcherPattern();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex BracePattern();

    [GeneratedRegex(@"\[[^\]]*\]")]
    private static partial Regex RangePattern();

    /// <summary>A bare identifier that is not a function call: a metric name or a PromQL keyword.</summary>
    [GeneratedRegex(@"(?<![\w:.])[a-zA-Z_:][\w:]*(?!\s*\()(?![\w:])")]
    private static partial Regex IdentifierPattern();

    [GeneratedRegex("[^a-zA-Z0-9_]")]
    private static partial Regex NonLabelCharacter();
}
