using System.Text.Json.Nodes;
using Chat.Deploy.Tests.Infrastructure;

namespace Chat.Deploy.Tests.Checks;

/// <summary>
/// Every port something else names exists: Ingress backends (Service and its port, and the IngressClass), probe
/// and lifecycle ports (a container port of the same pod), and Prometheus scrape annotations (a container port
/// number of the annotated pod).
/// </summary>
public static class PortReferences
{
    public const string ScrapeAnnotation = "prometheus.io/scrape";
    public const string PortAnnotation = "prometheus.io/port";

    public static IReadOnlyList<string> Find(JsonArray objects)
    {
        var problems = new List<string>();
        foreach (var ingress in objects.OfKind("Ingress"))
        {
            var className = ingress["spec"]?["ingressClassName"]?.ToString();
            if (className is not null && !objects.OfKind("IngressClass").Any(c => c.Name() == className))
            {
                problems.Add($"{ingress.Id()}: ingressClassName {className} names no IngressClass");
            }

            var backends = (ingress["spec"]?["rules"]).Array()
                .SelectMany(r => r["http"]?["paths"].Array() ?? [])
                .Select(p => p["backend"]?["service"])
                .Append(ingress["spec"]?["defaultBackend"]?["service"])
                .OfType<JsonObject>();
            foreach (var backend in backends)
            {
                problems.AddRange(BackendProblems(objects, ingress, backend));
            }
        }

        foreach (var workload in objects.WorkloadsOf())
        {
            var template = workload.PodTemplate();
            foreach (var container in template.Containers())
            {
                foreach (var (where, port) in NamedPorts(container))
                {
                    if (!Selectors.DeclaresPort(template, port))
                    {
                        problems.Add($"{workload.Id()}: {container["name"]} {where} port {port} is not a container port");
                    }
                }
            }

            var annotations = template.Annotations();
            if (annotations.GetValueOrDefault(ScrapeAnnotation) == "true")
            {
                var scrapePort = annotations.GetValueOrDefault(PortAnnotation);
                if (!long.TryParse(scrapePort, out var number) || !Selectors.DeclaresPort(template, JsonValue.Create(number)))
                {
                    problems.Add($"{workload.Id()}: {PortAnnotation} \"{scrapePort}\" is not a container port number");
                }
            }
        }

        return problems;
    }

    private static IEnumerable<string> BackendProblems(JsonArray objects, JsonObject ingress, JsonObject backend)
    {
        var name = backend["name"]?.ToString();
        var service = objects.OfKind("Service").FirstOrDefault(s => s.Namespace() == ingress.Namespace() && s.Name() == name);
        if (service is null)
        {
            yield return $"{ingress.Id()}: backend Service {name} does not exist";
            yield break;
        }

        var number = backend["port"]?["number"].Number();
        var portName = backend["port"]?["name"]?.ToString();
        var ports = service["spec"]?["ports"].Array().ToList() ?? [];
        if (!ports.Any(p => (number is not null && p["port"].Number() == number) || (portName is not null && p["name"]?.ToString() == portName)))
        {
            yield return $"{ingress.Id()}: backend port {number?.ToString() ?? portName} is not a port of {service.Id()}";
        }
    }

    private static IEnumerable<(string Where, JsonNode Port)> NamedPorts(JsonNode container)
    {
        foreach (var probe in new[] { "startupProbe", "readinessProbe", "livenessProbe" })
        {
            foreach (var action in new[] { "httpGet", "tcpSocket", "grpc" })
            {
                if (container[probe]?[action]?["port"] is { } port)
                {
                    yield return (probe, port);
                }
            }
        }

        foreach (var hook in new[] { "preStop", "postStart" })
        {
            foreach (var action in new[] { "httpGet", "tcpSocket" })
            {
                if (container["lifecycle"]?[hook]?[action]?["port"] is { } port)
                {
                    yield return (hook, port);
                }
            }
        }
    }
}
