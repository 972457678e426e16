using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Chat.Deploy.Tests.Infrastructure;

namespace Chat.Deploy.Tests.Checks;

/// <summary>
/// docker-compose.yml beyond its syntax: every host name a service is configured with is a service; a service
/// waited for as healthy has a healthcheck; the replicated chat service has no fixed host port or container name
/// (either breaks `--scale`); the gateway is published on host port 8080; every host port is bound to 127.0.0.1
/// unless the user says otherwise (`${CHAT_BIND_ADDRESS:-127.0.0.1}`); no service sets ASPNETCORE_URLS on top of
/// the .NET images' ASPNETCORE_HTTP_PORTS; bind-mounted files exist; Prometheus scrapes services and ports that
/// exist; and a service's stop_grace_period (Docker's default is 10 s) covers the time its process takes to stop, so
/// `docker compose stop` or a scale-in does not kill a replica mid-drain.
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

            foreach (var port in Ports(service).Where(p => !IsLoopbackByDefault(p.Address)))
            {
                problems.Add($"service {name} publishes host port {port.Host} on every interface; bind it to 127.0.0.1 by default ({BindAddressDefault}:{port.Host}:{port.Container})");
            }

            foreach (var (key, value) in Environment(service))
            {
                if (key == "ASPNETCORE_URLS")
                {
                    problems.Add($"service {name} sets ASPNETCORE_URLS on top of the image's ASPNETCORE_HTTP_PORTS (every start logs \"Overriding HTTP_PORTS\"); set ASPNETCORE_HTTP_PORTS");
                }

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

        if (!Ports(services[GatewayService]).Any(p => p.Host == GatewayHostPort.ToString(System.Globalization.CultureInfo.InvariantCulture)))
        {
            problems.Add($"service {GatewayService} is not published on host port {GatewayHostPort}");
        }

        problems.AddRange(PrometheusProblems(services, readFile));
        return problems;
    }

    /// <summary>How the compose file binds host ports unless the user sets CHAT_BIND_ADDRESS (e.g. 0.0.0.0).</summary>
    public const string BindAddressDefault = "${CHAT_BIND_ADDRESS:-127.0.0.1}";

    /// <summary>A service's published ports, short syntax "[address:]host:container".</summary>
    private static IEnumerable<(string? Address, string Host, string Container)> Ports(JsonNode? service) =>
        (service?["ports"]?.AsArray() ?? []).Select(p => PortSpec().Match(p?.ToString() ?? ""))
            .Where(m => m.Success)
            .Select(m => (m.Groups["address"].Success ? m.Groups["address"].Value : null, m.Groups["host"].Value, m.Groups["container"].Value));

    /// <summary>127.0.0.1, or a variable that defaults to it.</summary>
    private static bool IsLoopbackByDefault(string? address) =>
        address is not null && (address == "127.0.0.1" || LoopbackDefault().IsMatch(address));

    /// <summary>The port a service listens on inside the network: its ASPNETCORE_URLS or ASPNETCORE_HTTP_PORTS, or what it exposes.</summary>
    private static IEnumerable<string> ListeningPorts(JsonNode? service)
    {
        var url = Environment(service).FirstOrDefault(e => e.Key == "ASPNETCORE_URLS").Value;
        if (url is not null && UrlPort().Match(url) is { Success: true } match)
        {
            yield return match.Groups["port"].Value;
        }

        if (Environment(service).FirstOrDefault(e => e.Key == "ASPNETCORE_HTTP_PORTS").Value is { } ports)
        {
            foreach (var port in ports.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                yield return port;
            }
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

    [GeneratedRegex(@"^(?:(?<address>\$\{[^}]+\}|[0-9.]+):)?(?<host>\d+):(?<container>\d+)(/\w+)?$")]
    private static partial Regex PortSpec();

    [GeneratedRegex(@"^\$\{\w+:?-127\.0\.0\.1\}$")]
    private static partial Regex LoopbackDefault();
}
