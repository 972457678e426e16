using System.Text.Json.Nodes;
using Chat.Deploy.Tests.Infrastructure;
using Chat.IngressController.Hosting;
using Chat.Proxy;
using Chat.Server.Limits;
using Chat.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Chat.Deploy.Tests.Checks;

/// <summary>
/// The cluster tests' overlay restates <see cref="OneHostLimits"/> as env variables (every client of those tests comes
/// from one host). Each chat pod and the controller must set each of those limits to its value (other settings of the
/// same section, e.g. the shipped TrustedProxies, are the base's), and the pod's whole env must pass
/// the service's own start-up validation: a per-address limit above the total one is refused at start-up, and the
/// cluster tests would only find out after minutes of waiting for pods that never turn ready.
/// </summary>
public static class OneHostOverlay
{
    private const string ChatImage = "chat-server";
    private const string ControllerImage = "chat-ingress-controller";

    public static IReadOnlyList<string> Find(JsonArray objects)
    {
        var problems = new List<string>();
        var checkedImages = new HashSet<string>();
        foreach (var workload in objects.WorkloadsOf())
        {
            foreach (var container in workload.PodTemplate().Containers())
            {
                var image = ImageName(container);
                var (expected, section, refusal) = image switch
                {
                    ChatImage => (OneHostLimits.ChatServer, "Chat__Limits__", (Func<IReadOnlyDictionary<string, string>, string?>)ChatServerRefuses),
                    ControllerImage => (OneHostLimits.IngressController, "IngressController__Limits__", ControllerRefuses),
                    _ => (null, "", _ => null),
                };
                if (expected is null)
                {
                    continue;
                }

                checkedImages.Add(image);
                var at = $"{workload.Id()} container {container["name"]}";
                var env = LiteralEnv(container);
                problems.AddRange(Differences(at, expected, env.Where(e => e.Key.StartsWith(section, StringComparison.Ordinal)).ToDictionary()));
                if (refusal(env) is { } refused)
                {
                    problems.Add($"{at}: refused at start-up: {refused}");
                }
            }
        }

        problems.AddRange(new[] { ChatImage, ControllerImage }.Except(checkedImages).Select(i => $"no {i} container rendered"));
        return problems;
    }

    /// <summary>The image's name without its tag.</summary>
    private static string ImageName(JsonObject container) => (container["image"]?.ToString() ?? "").Split(':')[0];

    private static Dictionary<string, string> LiteralEnv(JsonObject container) =>
        container["env"].Array()
            .Where(e => e["value"] is not null)
            .ToDictionary(e => e["name"]!.ToString(), e => e["value"]!.ToString());

    /// <summary>OneHostLimits' keys as env variable names (`Chat:Limits:X` is `Chat__Limits__X`).</summary>
    private static IEnumerable<string> Differences(string at, IReadOnlyDictionary<string, string?> expected, Dictionary<string, string> actual)
    {
        var wanted = expected.ToDictionary(kv => kv.Key.Replace(":", "__", StringComparison.Ordinal), kv => kv.Value);
        foreach (var (name, value) in wanted)
        {
            if (!actual.TryGetValue(name, out var set))
            {
                yield return $"{at}: {name} is not set (OneHostLimits: {value})";
            }
            else if (set != value)
            {
                yield return $"{at}: {name} is {set}, OneHostLimits says {value}";
            }
        }
    }

    private static string? ChatServerRefuses(IReadOnlyDictionary<string, string> env) =>
        Refusal(env, builder => builder.AddChatLimits(), services => services.GetRequiredService<IOptions<LimitOptions>>().Value);

    private static string? ControllerRefuses(IReadOnlyDictionary<string, string> env) =>
        Refusal(env, builder => builder.AddIngressController(), services => services.GetRequiredService<IOptions<ChatProxyOptions>>().Value);

    /// <summary>The service's own registration of its options, bound from the env as the process would, then read.</summary>
    private static string? Refusal(IReadOnlyDictionary<string, string> env, Action<WebApplicationBuilder> register, Func<IServiceProvider, object> read)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Configuration.AddInMemoryCollection(env.Select(e => KeyValuePair.Create(e.Key.Replace("__", ":", StringComparison.Ordinal), (string?)e.Value)));
        register(builder);
        using var services = builder.Services.BuildServiceProvider();
        try
        {
            read(services);
            return null;
        }
        catch (OptionsValidationException refused)
        {
            return refused.Message;
        }
    }
}
