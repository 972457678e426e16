using System.Text.Json.Nodes;
using Chat.Deploy.Tests.Checks;
using Chat.Deploy.Tests.Infrastructure;

namespace Chat.Deploy.Tests;

/// <summary>docker-compose.yml: Compose's own validation, then the cross-service checks.</summary>
public sealed class ComposeTests
{
    [Fact]
    public async Task Docker_compose_accepts_the_file()
    {
        var result = await Command.RunAsync(Tools.DockerCompose, ["-f", Repository.ComposeFile, "config", "-q"]);

        Assert.True(result.Succeeded, result.ToString());
    }

    [Fact]
    public async Task Docker_compose_rejects_a_broken_file()
    {
        using var folder = TempFolder.Create();
        var broken = File.ReadAllText(Repository.ComposeFile).Replace("      replicas: 3", "      replicas: three", StringComparison.Ordinal);

        var result = await ConfigAsync(broken, folder.Path);

        Assert.False(result.Succeeded, result.ToString());
        Assert.Contains("replicas", result.StandardError + result.StandardOutput);
    }

    [Fact]
    public void Services_hosts_health_and_scrape_targets_fit_together()
    {
        Assert.Empty(ComposeFile.Find(Rendered.Compose(), ReadFromRepository, ShutdownBudget.Of));
    }

    [Fact]
    public void A_fixed_host_port_on_the_scaled_chat_service_is_caught()
    {
        var compose = Rendered.Compose();
        compose["services"]!["chat"]!["ports"] = new JsonArray("8081:8080");

        Assert.Contains(ComposeFile.Find(compose, ReadFromRepository, ShutdownBudget.Of), p => p.Contains("which `--scale` cannot replicate"));
    }

    [Fact]
    public void A_redis_address_naming_no_service_or_a_missing_healthcheck_is_caught()
    {
        var compose = Rendered.Compose();
        compose["services"]!["chat"]!["environment"]!["ConnectionStrings__Redis"] = "cache:6379";
        compose["services"]!["redis"]!.AsObject().Remove("healthcheck");

        var problems = ComposeFile.Find(compose, ReadFromRepository, ShutdownBudget.Of);

        Assert.Contains(problems, p => p.Contains("names host cache, which is no service"));
        Assert.Contains(problems, p => p.Contains("waits for redis to be healthy, but redis has no healthcheck"));
    }

    [Fact]
    public void A_prometheus_target_on_a_wrong_port_or_a_missing_config_file_is_caught()
    {
        var compose = Rendered.Compose();
        var scrapesWrongPort = ComposeFile.Find(compose, path => ReadFromRepository(path)?.Replace("port: 8080", "port: 80", StringComparison.Ordinal), ShutdownBudget.Of);
        var missingFile = ComposeFile.Find(compose, _ => null, ShutdownBudget.Of);

        Assert.Contains(scrapesWrongPort, p => p.Contains("scrapes chat:80, but chat listens on 8080"));
        Assert.Contains(missingFile, p => p.Contains("mounts ./deploy/prometheus/prometheus.yml, which does not exist"));
    }

    [Fact]
    public void A_gateway_not_on_host_port_8080_is_caught()
    {
        var compose = Rendered.Compose();
        compose["services"]!["gateway"]!["ports"] = new JsonArray("127.0.0.1:80:8080");

        Assert.Contains(ComposeFile.Find(compose, ReadFromRepository, ShutdownBudget.Of), p => p.Contains("not published on host port 8080"));
    }

    [Fact]
    public void A_host_port_on_every_interface_is_caught()
    {
        var compose = Rendered.Compose();
        compose["services"]!["prometheus"]!["ports"] = new JsonArray("9090:9090");
        compose["services"]!["gateway"]!["ports"] = new JsonArray("0.0.0.0:8080:8080");

        var problems = ComposeFile.Find(compose, ReadFromRepository, ShutdownBudget.Of);

        Assert.Contains(problems, p => p.StartsWith("service prometheus publishes host port 9090 on every interface", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("service gateway publishes host port 8080 on every interface", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_bind_address_can_be_set_to_expose_the_ports()
    {
        var result = await Command.RunAsync(Tools.DockerCompose, ["-f", Repository.ComposeFile, "config"],
            environment: new Dictionary<string, string?> { ["CHAT_BIND_ADDRESS"] = "0.0.0.0" });
        var loopback = await Command.RunAsync(Tools.DockerCompose, ["-f", Repository.ComposeFile, "config"],
            environment: new Dictionary<string, string?> { ["CHAT_BIND_ADDRESS"] = null });

        Assert.True(result.Succeeded, result.ToString());
        Assert.Contains("0.0.0.0:8080:8080", result.StandardOutput);
        Assert.Contains("127.0.0.1:8080:8080", loopback.StandardOutput);
    }

    [Fact]
    public void Aspnetcore_urls_on_top_of_the_images_http_ports_is_caught()
    {
        var compose = Rendered.Compose();
        compose["services"]!["gateway"]!["environment"]!["ASPNETCORE_URLS"] = "http://+:8080";

        Assert.Contains(ComposeFile.Find(compose, ReadFromRepository, ShutdownBudget.Of), p => p.StartsWith("service gateway sets ASPNETCORE_URLS", StringComparison.Ordinal));
    }

    [Fact]
    public void A_grace_period_shorter_than_the_chat_drain_is_caught()
    {
        var compose = Rendered.Compose();
        compose["services"]!["chat"]!.AsObject().Remove("stop_grace_period");

        Assert.Contains(ComposeFile.Find(compose, ReadFromRepository, ShutdownBudget.Of), p => p.StartsWith("service chat: stop_grace_period 10 s does not cover its", StringComparison.Ordinal));
    }

    private static string? ReadFromRepository(string relativePath)
    {
        var path = Repository.Path(relativePath);
        return File.Exists(path) ? File.ReadAllText(path) : null;
    }

    private static async Task<CommandResult> ConfigAsync(string composeText, string projectDirectory)
    {
        using var folder = TempFolder.Create();
        var file = Path.Combine(folder.Path, "docker-compose.yml");
        await File.WriteAllTextAsync(file, composeText);
        return await Command.RunAsync(Tools.DockerCompose, ["-f", file, "--project-directory", projectDirectory, "config", "-q"], workingDirectory: projectDirectory);
    }
}
