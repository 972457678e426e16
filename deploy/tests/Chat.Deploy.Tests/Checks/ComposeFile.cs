using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Chat.Deploy.Tests.Infrastructure;

namespace Chat.Deploy.Tests.Checks;

/// <summary>
/// docker-compose.yml beyond its syntax: every host name a service is configured with is a service; a service
/// waited for as healthy has a healthcheck; the replicated chat service has no fixed host port or container name
/// (either breaks `--scale`); the gateway is published on host port 8080; bind-mounted files exist; Prometheus
/// scrapes services and ports that exist; and a service's stop_grace_period (Docker's default is 10 s) covers the
/// time its process takes to stop, so `docker compose stop` or a scale-in does not kill a replica mid-drain.
/// </summary>
public static partial class ComposeFile
{
    public const string ChatService = "chat";
    public const string GatewayService = "gateway";
    public const int GatewayHostPort = 8080;

    /// <param name="readFile">Contents of a file by its path relative to the compose file, or null when it does not exist.</param>
    /// <param name="shutdownBudget">How long an image takes to stop with these environment settings.</param>
    public static IReadOnlyList<string> Find(JsonObject compose, Func<string, string?> readFile,
        Func<string, IEnumerable<KeyValuePair<string, string?>>, TimeSpan> shutdownBudget)
    {
        var problems = new List<string>();
        var services = compose["services"]?.AsObject() ?? [];
        foreach (var (name, service) in services)
        {
            var grace = service?["stop_grace_period"] is { } period ? Duration(period.ToString()) : TimeSpan.FromSeconds(10);
            var budget = shutdownBudget(service?["image"]?.ToString() ?? "", Environment(service).Select(e => KeyValuePair.Create(e.Key, (string?)e.Value)));
            if (budget >= grace)
            {
                problems.Add($"service {name}: stop_grace_period {grace.TotalSeconds:0.#} s does not cover its {budget.TotalSeconds:0.#} s shutdown");
            }

            foreach (var (key, value) in Environment(service))
            {
                var host = HostOf(key, value);
                if (host is not null && !services.ContainsKey(host))
                {
                    problems.Add($"service {name}: {key}={value} names host {host}, which is no service");
                }
            }

            foreach (var (dependency, condition) in DependsOn(service))
            {
                if (!services.ContainsKey(dependency))
                {
                    problems.Add($"service {name} depends on {dependency}, which is no service");
                }
                else if (condition == "service_healthy" && services[dependency]?["healthcheck"] is null)
                {
                    problems.Add($"service {name} waits for {dependency} to be healthy, but {dependency} has no healthcheck");
                }
            }

            foreach (var mount in service?["volumes"]?.AsArray().Select(v => v?.ToString() ?? "") ?? [])
            {
                var source = mount.Split(':')[0];
                if (source.StartsWith('.') && readFile(source) is null)
                {
                    problems.Add($"service {name} mounts {source}, which does not exist");
                }
            }
        }

        var chat = services[ChatService];
        if (chat is null)
        {
            problems.Add($"no {ChatService} service");
        }
        else
        {
            if ((chat["deploy"]?["replicas"].Number() ?? 1) < 2)
            {
                problems.Add($"service {ChatService} does not run several replicas (deploy.replicas)");
            }

            if (chat["container_name"] is not null || chat["ports"] is JsonArray { Count: > 0 })
            {
                problems.Add($"service {ChatService} has a container_name or host ports, which `--scale` cannot replicate");
            }
        }

        if (!(services[GatewayService]?["ports"]?.AsArray() ?? []).Any(p => p?.ToString().StartsWith($"{GatewayHostPort}:", StringComparison.Ordinal) == true))
        {
            problems.Add($"service {GatewayService} is not published on host port {GatewayHostPort}");
        }

        problems.AddRange(PrometheusProblems(services, readFile));
        return problems;
    }

    /// <summary>The port a service listens on inside the network: its ASPNETCORE_URLS port, or what it exposes.</summary>
    private static IEnumerable<string> ListeningPorts(JsonNode? service)
    {
        var url = Environment(service).FirstOrDefault(e => e.Key == "ASPNETCORE_URLS").Value;
        if (url is not null && UrlPort().Match(url) is { Success: true } match)
        {
            yield return match.Groups["port"].Value;
        }

        foreach (var port in service?["expose"]?.AsArray() ?? [])
        {
            yield return port?.ToString() ?? "";
        }
    }

    private static IEnumerable<string> PrometheusProblems(JsonObject services, Func<string, string?> readFile)
    {
        var mount = services.Select(s => s.Value?["volumes"]?.AsArray().Select(v => v?.ToString() ?? "").FirstOrDefault(v => v.Contains(":/etc/prometheus/prometheus.yml", StringComparison.Ordinal)))
            .FirstOrDefault(m => m is not null);
        if (mount is null || readFile(mount.Split(':')[0]) is not { } text)
        {
            yield return "no service mounts a prometheus.yml that exists";
            yield break;
        }

        var config = YamlJson.ParseObject(text);
        foreach (var job in config["scrape_configs"].Array())
        {
            var targets = job["dns_sd_configs"].Array().SelectMany(d => (d["names"]?.AsArray() ?? []).Select(n => (Host: n?.ToString() ?? "", Port: d["port"]?.ToString() ?? "")))
                .Concat(job["static_configs"].Array().SelectMany(s => (s["targets"]?.AsArray() ?? []).Select(t => t?.ToString() ?? ""))
                    .Select(t => (Host: t.Split(':')[0], Port: t.Contains(':') ? t.Split(':')[1] : "80")));
            foreach (var (host, port) in targets)
            {
                if (!services.ContainsKey(host))
                {
                    yield return $"prometheus job {job["job_name"]} scrapes {host}, which is no service";
                }
                else if (!ListeningPorts(services[host]).Contains(port))
                {
                    yield return $"prometheus job {job["job_name"]} scrapes {host}:{port}, but {host} listens on {string.Join(", ", ListeningPorts(services[host]))}";
                }
            }
        }
    }

    private static IEnumerable<KeyValuePair<string, string>> Environment(JsonNode? service) => service?["environment"] switch
    {
        JsonObject map => map.Select(p => KeyValuePair.Create(p.Key, p.Value?.ToString() ?? "")),
        JsonArray list => list.Select(e => e?.ToString() ?? "").Select(e => KeyValuePair.Create(e.Split('=')[0], e.Contains('=') ? e[(e.IndexOf('=') + 1)..] : "")),
        _ => [],
    };

    private static IEnumerable<(string Service, string Condition)> DependsOn(JsonNode? service) => service?["depends_on"] switch
    {
        JsonObject map => map.Select(p => (p.Key, p.Value?["condition"]?.ToString() ?? "service_started")),
        JsonArray list => list.Select(d => (d?.ToString() ?? "", "service_started")),
        _ => [],
    };

    /// <summary>The host a setting points at: a URL's or "host:port"'s host, or the value of a *Host key.</summary>
    private static string? HostOf(string key, string value)
    {
        if (key.EndsWith("Host", StringComparison.OrdinalIgnoreCase))
        {
            return value;
        }

        var match = HostPort().Match(value);
        return match.Success && match.Groups["host"].Value is not ("localhost" or "+" or "*" or "0.0.0.0") ? match.Groups["host"].Value : null;
    }

    /// <summary>A compose duration: "90s", "1m30s", "2m", "500ms".</summary>
    private static TimeSpan Duration(string text) => DurationPart().Matches(text).Aggregate(TimeSpan.Zero, (sum, m) => sum + (m.Groups["unit"].Value switch
    {
        "h" => TimeSpan.FromHours(double.Parse(m.Groups["n"].Value, System.Globalization.CultureInfo.InvariantCulture)),
        "m" => TimeSpan.FromMinutes(double.Parse(m.Groups["n"].Value, System.Globalization.CultureInfo.InvariantCulture)),
        "ms" => TimeSpan.FromMilliseconds(double.Parse(m.Groups["n"].Value, System.Globalization.CultureInfo.InvariantCulture)),
        _ => TimeSpan.FromSeconds(double.Parse(m.Groups["n"].Value, System.Globalization.CultureInfo.InvariantCulture)),
    }));

    [GeneratedRegex(@"(?<n>[0-9.]+)(?<unit>ms|h|m|s)")]
    private static partial Regex DurationPart();

    [GeneratedRegex(@"^(?:[a-z]+://)?(?<host>[a-zA-Z][\w.-]*|\+|\*):(?<port>\d+)")]
    private static partial Regex HostPort();

    [GeneratedRegex(@":(?<port>\d+)")]
    private static partial Regex UrlPort();
}
