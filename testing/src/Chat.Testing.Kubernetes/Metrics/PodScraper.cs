using System.Globalization;
using Chat.Testing.Metrics;

namespace Chat.Testing.Kubernetes.Metrics;

/// <summary>What Prometheus's pod discovery knows of a pod.</summary>
public sealed record ScrapePod(string Namespace, string Name, string? Ip, string Phase,
    IReadOnlyDictionary<string, string> Labels, IReadOnlyDictionary<string, string> Annotations,
    IReadOnlyList<(string Container, string? PortName, int Port)> Ports);

/// <summary>
/// Prometheus's pod scrape job: targets from pod discovery (one per declared container port, the
/// <c>__meta_kubernetes_pod_*</c> labels), relabeled by the config's rules, deduplicated, scraped every interval
/// into the <see cref="SeriesStore"/> with the target labels attached; a target that disappears goes stale.
/// </summary>
public sealed class PodScraper(ScrapeConfig config, string ownNamespace, SeriesStore store,
    Func<IReadOnlyList<ScrapePod>> pods, Func<string, int, Uri?> podAddress)
{
    private static readonly HttpClient Http = new();
    private readonly HashSet<string> _targets = new(StringComparer.Ordinal);

    public ScrapeConfig Config => config;

    public async Task RunAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(config.Interval);
        do
        {
            await ScrapeOnceAsync(stop);
        }
        while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false));
    }

    public async Task ScrapeOnceAsync(CancellationToken stop)
    {
        var now = DateTimeOffset.UtcNow;
        var targets = Targets().ToList();
        await Task.WhenAll(targets.Select(t => ScrapeAsync(t, now, stop)));
        foreach (var gone in _targets.Except(targets.Select(t => t.Key)).ToList())
        {
            store.MarkTargetStale(gone, now);
            _targets.Remove(gone);
        }
    }

    private IEnumerable<(string Key, Uri Url, Dictionary<string, string> Labels)> Targets()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var pod in pods())
        {
            if (config.OwnNamespaceOnly && pod.Namespace != ownNamespace || config.Namespaces.Count > 0 && !config.Namespaces.Contains(pod.Namespace) || pod.Ip is null)
            {
                continue;
            }

            var ports = pod.Ports.Count > 0 ? pod.Ports.Select(p => ((string?)p.Container, p.PortName, (int?)p.Port)) : [(null, null, null)];
            foreach (var (container, portName, port) in ports)
            {
                var meta = new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    ["__address__"] = port is null ? pod.Ip : $"{pod.Ip}:{port}",
                    ["__metrics_path__"] = "/metrics",
                    ["__scheme__"] = "http",
                    ["job"] = config.Job,
                    ["__meta_kubernetes_namespace"] = pod.Namespace,
                    ["__meta_kubernetes_pod_name"] = pod.Name,
                    ["__meta_kubernetes_pod_ip"] = pod.Ip,
                    ["__meta_kubernetes_pod_phase"] = pod.Phase,
                    ["__meta_kubernetes_pod_container_name"] = container ?? "",
                    ["__meta_kubernetes_pod_container_port_name"] = portName ?? "",
                    ["__meta_kubernetes_pod_container_port_number"] = port?.ToString(CultureInfo.InvariantCulture) ?? "",
                };
                foreach (var (label, value) in pod.Labels)
                {
                    meta["__meta_kubernetes_pod_label_" + Sanitize(label)] = value;
                    meta["__meta_kubernetes_pod_labelpresent_" + Sanitize(label)] = "true";
                }

                foreach (var (annotation, value) in pod.Annotations)
                {
                    meta["__meta_kubernetes_pod_annotation_" + Sanitize(annotation)] = value;
                    meta["__meta_kubernetes_pod_annotationpresent_" + Sanitize(annotation)] = "true";
                }

                if (Relabeling.Apply(meta, config.Relabel) is not { } labels)
                {
                    continue;
                }

                var address = labels["__address__"];
                var colon = address.LastIndexOf(':');
                if (colon < 0 || podAddress(address[..colon], int.Parse(address[(colon + 1)..], CultureInfo.InvariantCulture)) is not { } hostAddress)
                {
                    continue;
                }

                var url = new Uri(hostAddress, labels["__metrics_path__"]);
                labels.TryAdd("instance", address);
                var targetLabels = labels.Where(l => !l.Key.StartsWith("__", StringComparison.Ordinal)).ToDictionary(l => l.Key, l => l.Value);
                var key = string.Join(',', targetLabels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => l.Key + "=" + l.Value));
                if (seen.Add(key))
                {
                    yield return (key, url, targetLabels);
                }
            }
        }
    }

    private async Task ScrapeAsync((string Key, Uri Url, Dictionary<string, string> Labels) target, DateTimeOffset at, CancellationToken stop)
    {
        _targets.Add(target.Key);
        string text;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
            timeout.CancelAfter(config.Timeout);
            using var request = new HttpRequestMessage(HttpMethod.Get, target.Url);
            request.Headers.Accept.ParseAdd("text/plain; version=0.0.4");
            using var response = await Http.SendAsync(request, timeout.Token);
            response.EnsureSuccessStatusCode();
            text = await response.Content.ReadAsStringAsync(timeout.Token);
        }
        catch (Exception) when (!stop.IsCancellationRequested)
        {
            // A failed scrape (up == 0) makes every series of the target stale, as in Prometheus.
            store.Append(target.Key, [Labels(target.Labels, "up", NoLabels)], [0], at);
            return;
        }

        var samples = PrometheusText.Parse(text);
        var labelSets = samples.Select(s => Labels(target.Labels, s.Name, s.Labels)).Append(Labels(target.Labels, "up", NoLabels)).ToList();
        store.Append(target.Key, labelSets, samples.Select(s => s.Value).Append(1), at);
    }

    private static readonly Dictionary<string, string> NoLabels = [];

    private static Dictionary<string, string> Labels(Dictionary<string, string> target, string name, IReadOnlyDictionary<string, string> own)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in own)
        {
            labels[target.ContainsKey(key) ? "exported_" + key : key] = value;
        }

        foreach (var (key, value) in target)
        {
            labels[key] = value;
        }

        labels["__name__"] = name;
        return labels;
    }

    private static string Sanitize(string name) => string.Concat(name.Select(c => char.IsLetterOrDigit(c) ? c : '_'));
}
