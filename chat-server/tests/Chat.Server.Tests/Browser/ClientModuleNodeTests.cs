using Chat.Server.Tests.Stomp;
using Chat.Testing;
using Xunit.Abstractions;

namespace Chat.Server.Tests.Browser;

/// <summary>
/// The browser client module (client/browser) under Node, against chat-server processes: its node:test files on two
/// replicas, and its clients moved by drains and a crash while others send.
/// </summary>
[Collection(StompReplicasCollection.Name)]
public sealed class ClientModuleNodeTests(StompReplicas replicas, ITestOutputHelper output)
{
    private static readonly string Folder = Path.Combine(RepoPaths.Root, "client", "browser");

    [Fact]
    public async Task The_module_joins_sends_receives_and_reports_refusals_on_both_protocols()
    {
        AssertInstalled();
        var files = Directory.GetFiles(Path.Combine(Folder, "test"), "*.test.mjs").Select(f => Path.GetRelativePath(Folder, f)).Order();
        // token-refresh.test.mjs: a Jwt server whose dev tokens live 5 s, so the clients refresh a few times.
        await using var jwt = await ServiceProcess.StartAsync("chat-server", "Chat.Server", DevTokenServer.Settings(5));
        await using var node = new ChildProcess("node", ["--test", "--test-reporter=tap", .. files], new Dictionary<string, string?>
        {
            ["CHAT_URL_A"] = replicas.A.BaseAddress.ToString(),
            ["CHAT_URL_B"] = replicas.B.BaseAddress.ToString(),
            ["CHAT_URL_JWT"] = jwt.BaseAddress.ToString(),
        }, Folder);

        Assert.True(await node.WaitForExitAsync(TimeSpan.FromMinutes(2)), "node --test did not finish: " + node.Output);
        ReportForTestScript(node.Output);
        Assert.True(node.ExitCode == 0, node.Output);
        Assert.Contains("# fail 0", node.Output);
        Assert.Contains("# skipped 0", node.Output);
    }

    [Fact]
    public async Task Clients_moved_by_drains_and_a_crash_get_every_offset_once_in_order_on_both_protocols()
    {
        AssertInstalled();
        await using var cluster = await MovingCluster.StartAsync();
        await using var node = new ChildProcess("node", ["test/moved-clients.mjs", cluster.Gateway.BaseAddress.ToString(), "2"], workingDirectory: Folder);
        Assert.True(await Eventually.TrueAsync(() => node.Output.Contains("ready:") || node.HasExited, TimeSpan.FromSeconds(60)), "the clients did not join: " + node.Output);

        // Drain, crash, drain, ... the replica that holds the most clients: with two moves each, every client was
        // moved by a drain (SignalR `reconnect`, STOMP 1012) and dropped by a crash, and landed on the other replica.
        for (var round = 0; round < 6 && !node.HasExited; round++)
        {
            var settled = Count(node.Output, "all connected:");
            await cluster.StopAndRestartAsync(Busiest(node.Output), crash: round % 2 == 1);
            Assert.True(
                await Eventually.TrueAsync(() => Count(node.Output, "all connected:") > settled || node.HasExited, TimeSpan.FromSeconds(60)),
                $"round {round}: the clients did not all connect again: {node.Output}");
        }

        Assert.True(await node.WaitForExitAsync(TimeSpan.FromSeconds(90)), "the clients did not finish: " + node.Output);
        output.WriteLine(node.Output);
        Assert.True(node.ExitCode == 0, node.Output);
        Assert.Contains("moved-clients: all checks passed", node.Output);
    }

    /// <summary>test.sh counts each node:test test in its total: it names a folder for the TAP output.</summary>
    private static void ReportForTestScript(string tap)
    {
        if (Environment.GetEnvironmentVariable("CHAT_NODE_TEST_REPORTS") is { Length: > 0 } folder)
        {
            File.WriteAllText(Path.Combine(folder, "client-browser.tap"), tap);
        }
    }

    private static void AssertInstalled() =>
        Assert.True(Directory.Exists(Path.Combine(Folder, "node_modules", "@microsoft", "signalr")), "npm ci did not run for " + Folder);

    /// <summary>The replica with the most clients in the script's last "all connected: a=2 b=2 …" line.</summary>
    private static string Busiest(string output) =>
        output.Split('\n').Last(l => l.StartsWith("all connected:", StringComparison.Ordinal))
            .Split(' ').Where(p => p.Contains('=')).Select(p => p.Split('='))
            .MaxBy(p => int.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture))![0];

    private static int Count(string text, string part)
    {
        var count = 0;
        for (var at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + part.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
