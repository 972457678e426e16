using Chat.Testing;

namespace Chat.Server.Tests.Stomp;

/// <summary>A STOMP client nobody here wrote, @stomp/stompjs on Node, against a real chat-server process.</summary>
[Collection(StompReplicasCollection.Name)]
public sealed class StompConformanceTests(StompReplicas replicas)
{
    [Fact]
    public async Task Stompjs_connects_subscribes_sends_receives_heart_beats_and_disconnects()
    {
        var folder = Path.Combine(RepoPaths.Root, "chat-server", "tests", "stomp-conformance");
        Assert.True(Directory.Exists(Path.Combine(folder, "node_modules", "@stomp", "stompjs")), "npm ci did not run for " + folder);
        await using var node = new ChildProcess("node", ["conformance.mjs", $"ws://127.0.0.1:{replicas.A.Port}/ws"], workingDirectory: folder);
        Assert.True(await node.WaitForExitAsync(TimeSpan.FromSeconds(60)), "the conformance run did not finish: " + node.Output);
        Assert.True(node.ExitCode == 0, node.Output);
        Assert.Contains("conformance: all checks passed", node.Output);
        Assert.DoesNotContain("FAIL", node.Output);
    }
}
