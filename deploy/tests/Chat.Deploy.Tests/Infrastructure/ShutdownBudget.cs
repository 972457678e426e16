using System.Text.Json.Nodes;
using Chat.Server.Balancing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Chat.Deploy.Tests.Infrastructure;

/// <summary>
/// How long a container's process may take to stop after SIGTERM. For the chat server it is computed by the server's
/// own wiring from the container's environment (its drain raises the host's shutdown timeout), so the grace-period
/// check follows the code; other .NET images keep the host default; other images are taken to stop at once.
/// </summary>
public static class ShutdownBudget
{
    /// <summary>For a Kubernetes container (its image and literal env values).</summary>
    public static TimeSpan Of(JsonNode container) => Of(container["image"]?.ToString() ?? "", Environment(container));

    /// <summary>For an image run with these settings (env names, Section__Key or Section:Key).</summary>
    public static TimeSpan Of(string image, IEnumerable<KeyValuePair<string, string?>> environment)
    {
        if (image.StartsWith("chat-server:", StringComparison.Ordinal))
        {
            return ChatServer(environment.Select(e => KeyValuePair.Create(e.Key.Replace("__", ":", StringComparison.Ordinal), e.Value)));
        }

        return image.StartsWith("chat-", StringComparison.Ordinal) ? new HostOptions().ShutdownTimeout : TimeSpan.Zero;
    }

    private static TimeSpan ChatServer(IEnumerable<KeyValuePair<string, string?>> settings)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddRebalancing();
        using var services = builder.Services.BuildServiceProvider();
        return services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout;
    }

    /// <summary>A container's literal env values.</summary>
    private static IEnumerable<KeyValuePair<string, string?>> Environment(JsonNode container) =>
        container["env"].Array()
            .Where(e => e["value"] is not null)
            .Select(e => KeyValuePair.Create(e["name"]!.ToString(), (string?)e["value"]!.ToString()));
}
