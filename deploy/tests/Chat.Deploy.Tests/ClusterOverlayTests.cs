using Chat.Deploy.Tests.Checks;
using Chat.Deploy.Tests.Infrastructure;

namespace Chat.Deploy.Tests;

/// <summary>The cluster tests' overlay (deploy/tests/Chat.Cluster.Tests/overlay) sets OneHostLimits, and they start.</summary>
public sealed class ClusterOverlayTests
{
    private static readonly string Overlay = Repository.Path("deploy", "tests", "Chat.Cluster.Tests", "overlay");

    [Fact]
    public async Task The_overlay_sets_the_one_host_limits_and_every_pod_accepts_them_at_start_up()
    {
        Assert.Empty(OneHostOverlay.Find(await RenderOverlayAsync()));
    }

    [Fact]
    public async Task A_limit_that_drifted_from_OneHostLimits_or_a_per_address_limit_above_the_total_is_caught()
    {
        var objects = await RenderOverlayAsync();
        var ws = objects.Single("Deployment", "chat-ws").PodTemplate().Containers().First()["env"]!.AsArray();
        ws.First(e => e!["name"]!.ToString() == "Chat__Limits__ConnectionsPerAddress")!["value"] = "200000";
        var controller = objects.Single("Deployment", "chat-ingress-controller").PodTemplate().Containers().First()["env"]!.AsArray();
        controller.Remove(controller.First(e => e!["name"]!.ToString() == "IngressController__Limits__ConnectBurst"));
        controller.First(e => e!["name"]!.ToString() == "IngressController__Limits__MaxConnections")!["value"] = "10";

        var problems = OneHostOverlay.Find(objects);

        Assert.Contains(problems, p => p.Contains("chat-ws") && p.Contains("Chat__Limits__ConnectionsPerAddress is 200000"));
        Assert.Contains(problems, p => p.Contains("chat-ws") && p.Contains("refused at start-up") && p.Contains("must not exceed MaxConnections"));
        Assert.Contains(problems, p => p.Contains("chat-ingress-controller") && p.Contains("IngressController__Limits__ConnectBurst is not set"));
        Assert.Contains(problems, p => p.Contains("chat-ingress-controller") && p.Contains("refused at start-up") && p.Contains("at most MaxConnections (10)"));
        Assert.DoesNotContain(problems, p => p.Contains("chat-http"));
    }

    private static async Task<System.Text.Json.Nodes.JsonArray> RenderOverlayAsync()
    {
        var result = await Rendered.KustomizeAsync(Overlay);
        Assert.True(result.Succeeded, result.ToString());
        return YamlJson.ParseAll(result.StandardOutput);
    }
}
