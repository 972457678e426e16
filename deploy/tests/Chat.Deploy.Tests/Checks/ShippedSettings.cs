using System.Text.Json.Nodes;
using Chat.Deploy.Tests.Infrastructure;

namespace Chat.Deploy.Tests.Checks;

/// <summary>
/// What the chat pods need to run as shipped: /metrics on a port of its own that no Service exposes (so the public
/// Ingress cannot reach it) and that Prometheus scrapes; ASPNETCORE_HTTP_PORTS rather than ASPNETCORE_URLS (the image
/// sets HTTP_PORTS; URLS on top of it logs "Overriding HTTP_PORTS" at start-up); each chat Deployment in its own
/// balancing pool; KEDA queries that read "no data" as 0 (`or vector(0)`), fail loudly otherwise
/// (ignoreNullValues false) and have a fallback.
/// </summary>
public static class ShippedSettings
{
    public static IReadOnlyList<string> Find(JsonArray objects)
    {
        var problems = new List<string>();
        var services = objects.OfKind("Service").ToList();
        foreach (var workload in objects.WorkloadsOf().Where(w => w.PodTemplate().Containers().Any(c => c["image"]?.ToString().StartsWith("chat-server", StringComparison.Ordinal) == true)))
        {
            var container = workload.PodTemplate().Containers().First();
            var env = container["env"].Array().ToDictionary(e => e["name"]!.ToString(), e => e);
            var scrapePort = workload.PodTemplate()?["metadata"]?["annotations"]?[PortReferences.PortAnnotation]?.ToString();
            if (env.GetValueOrDefault("Metrics__Port")?["value"]?.ToString() is not { } metricsPort || metricsPort != scrapePort)
            {
                problems.Add($"{workload.Id()}: Metrics__Port is not the scraped port {scrapePort}");
            }
            else
            {
                var portName = container["ports"].Array().FirstOrDefault(p => p["containerPort"]?.ToString() == metricsPort)?["name"]?.ToString();
                foreach (var service in services.Where(s => KubeObjects.Selects(KubeObjects.StringMap(s["spec"]?["selector"]), workload.PodTemplate().Labels())))
                {
                    if (service["spec"]?["ports"].Array().Any(p => p["targetPort"]?.ToString() is { } target && (target == metricsPort || target == portName)) == true)
                    {
                        problems.Add($"{service.Id()} exposes the metrics port of {workload.Id()}");
                    }
                }
            }

            if (env.ContainsKey("ASPNETCORE_URLS"))
            {
                problems.Add($"{workload.Id()}: sets ASPNETCORE_URLS over the image's ASPNETCORE_HTTP_PORTS (\"Overriding HTTP_PORTS\" at start-up)");
            }

            if (env.GetValueOrDefault("Balancing__Pool")?["valueFrom"]?["fieldRef"]?["fieldPath"]?.ToString() != "metadata.labels['app.kubernetes.io/component']")
            {
                problems.Add($"{workload.Id()}: no Balancing__Pool from its component label: its fair share would count the other chat Deployment's pods");
            }
        }

        foreach (var scaled in objects.OfKind("ScaledObject"))
        {
            if (scaled["spec"]?["fallback"] is null)
            {
                problems.Add($"{scaled.Id()}: no fallback for when Prometheus cannot be read");
            }

            foreach (var trigger in scaled["spec"]?["triggers"].Array().Where(t => t["type"]?.ToString() == "prometheus") ?? [])
            {
                var metadata = trigger["metadata"];
                if (metadata?["query"]?.ToString().TrimEnd().EndsWith("or vector(0)", StringComparison.Ordinal) != true)
                {
                    problems.Add($"{scaled.Id()} trigger {trigger["name"]}: query does not end with `or vector(0)`");
                }

                if (metadata?["ignoreNullValues"]?.ToString() != "false")
                {
                    problems.Add($"{scaled.Id()} trigger {trigger["name"]}: ignoreNullValues is not \"false\" (an empty result would silently be 0)");
                }
            }
        }

        return problems;
    }
}
