using Chat.Server.Connections;
using Chat.Server.Tests.Support;
using Chat.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Chat.Server.Tests.Browser;

/// <summary>The browser client in a real Chromium.</summary>
public sealed class BrowserChatTests(TwoReplicas replicas, Chromium chromium) : IClassFixture<TwoReplicas>, IClassFixture<Chromium>
{
    /// <summary>Where the screenshots go: TestResults/screenshots next to this project (git-ignored).</summary>
    public static string ScreenshotFolder { get; } =
        Path.Combine(RepoPaths.Root, "chat-server", "tests", "Chat.Server.Tests", "TestResults", "screenshots");

    [Fact]
    public async Task A_message_sent_on_one_replica_shows_on_a_page_of_the_other_as_text()
    {
        var alice = await OpenChatAsync(chromium.Browser, replicas.A.BaseAddress, "alice", "replica a");
        var bob = await OpenChatAsync(chromium.Browser, replicas.B.BaseAddress, "bob", "replica b");

        await SendAsync(alice, "hello from replica a");
        await Assertions.Expect(bob.Locator(".message .content", new() { HasTextString = "hello from replica a" })).ToBeVisibleAsync();

        const string attack = "<img src=x onerror=\"window.injected=1\">";
        await SendAsync(alice, attack);
        var shown = bob.Locator(".message .content").Last;
        await Assertions.Expect(shown).ToHaveTextAsync(attack);
        Assert.Equal(0, await bob.Locator("#messages img").CountAsync());
        Assert.True(await bob.EvaluateAsync<bool>("() => window.injected === undefined"));
        await StrictContentSecurityPolicy.AssertNoViolationsAsync(bob);

        // Presence and notices: bob sees alice online and her JOIN.
        await Assertions.Expect(bob.Locator("#members li", new() { HasTextString = "alice" })).ToBeVisibleAsync();
        await Assertions.Expect(bob.Locator(".notice", new() { HasTextString = "alice joined" })).ToBeVisibleAsync();

        Directory.CreateDirectory(ScreenshotFolder);
        await bob.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder, "two-replicas-bob.png"), FullPage = true });

        // The policy is in force: an inline style is refused and seen.
        await alice.EvaluateAsync("() => document.body.setAttribute('style', 'color: red')");
        await Assertions.Expect(alice.Locator("body")).Not.ToHaveCSSAsync("color", "rgb(255, 0, 0)");
        Assert.True(await Eventually.TrueAsync(async () => await alice.EvaluateAsync<int>("() => (window.cspViolations ?? []).length") > 0, TimeSpan.FromSeconds(5)));
        await alice.CloseAsync();
        await bob.CloseAsync();
    }

    [Fact]
    public async Task A_page_moved_by_the_server_reconnects_and_shows_every_message_once()
    {
        await using var server = new InProcessChatServer(new Dictionary<string, string?> { ["Chat:ReplicaId"] = "solo" });
        await using var alice = await RecordingChatClient.StartAsync(server.BaseAddress, "alice");
        await alice.JoinAsync("public");
        var page = await OpenChatAsync(chromium.Browser, server.BaseAddress, "bob", "replica solo");
        await alice.SendAsync("public", "m1");
        await Assertions.Expect(page.Locator(".message .content")).ToHaveCountAsync(1);

        // The server moves the page's connection away while messages keep coming.
        var registry = server.Services.GetRequiredService<ConnectionRegistry>();
        // The page's is the newest connection (alice's came first).
        var connection = registry.Snapshot()[0];
        var closing = connection.CloseForRebalanceAsync("rebalance");
        for (var i = 2; i <= 10; i++)
        {
            await alice.SendAsync("public", $"m{i}");
        }

        await closing;
        await Assertions.Expect(page.Locator(".message .content")).ToHaveCountAsync(10);
        Assert.Equal(Enumerable.Range(1, 10).Select(i => $"m{i}"), await page.Locator(".message .content").AllTextContentsAsync());
        await Assertions.Expect(page.Locator("#state")).ToHaveTextAsync("connected");
        Assert.True(await Eventually.TrueAsync(() => registry.Count == 2 && registry.Snapshot().All(c => c.Id != connection.Id), TimeSpan.FromSeconds(10)));
        await page.CloseAsync();
    }

    [Fact]
    public async Task Pages_opened_through_the_gateway_spread_over_the_replicas_and_talk_to_each_other()
    {
        using var config = new GatewayConfigFile();
        config.Write(new Dictionary<string, Uri> { ["a"] = replicas.A.BaseAddress, ["b"] = replicas.B.BaseAddress });
        await using var gateway = await ServiceProcess.StartAsync("gateway", "Chat.Gateway", new Dictionary<string, string?>(OneHostLimits.Gateway)
        {
            ["Gateway:ConfigFile"] = config.Path,
        });

        // Least connections: each new page goes to the replica with fewer open connections.
        var names = new[] { "carol", "dave", "erin", "frank" };
        var pages = new List<IPage>();
        foreach (var name in names)
        {
            pages.Add(await OpenChatAsync(chromium.Browser, gateway.BaseAddress, name, replicaBadge: null));
        }

        var badges = await Task.WhenAll(pages.Select(p => p.Locator("#replica").TextContentAsync()));
        Assert.Equal(["replica a", "replica b"], badges.Distinct().Order());

        var sender = pages[Array.IndexOf(badges, "replica a")];
        var receiver = pages[Array.IndexOf(badges, "replica b")];
        await SendAsync(sender, "through the gateway");
        await Assertions.Expect(receiver.Locator(".message .content", new() { HasTextString = "through the gateway" })).ToBeVisibleAsync();
        foreach (var name in names)
        {
            // The replicas are shared with the other tests of the class, whose users may still be in their grace period.
            await Assertions.Expect(receiver.Locator("#members li", new() { HasTextString = name })).ToBeVisibleAsync();
        }

        Directory.CreateDirectory(ScreenshotFolder);
        await receiver.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder, "through-gateway.png"), FullPage = true });
        foreach (var page in pages)
        {
            await page.CloseAsync();
        }
    }

    /// <summary>Opens the client and joins; waits for the replica badge (a given one, or any when null).</summary>
    internal static async Task<IPage> OpenChatAsync(IBrowser browser, Uri server, string name, string? replicaBadge)
    {
        var page = await browser.NewPageAsync();
        page.SetDefaultTimeout(20_000);
        Assertions.SetDefaultExpectTimeout(20_000);
        await StrictContentSecurityPolicy.ApplyAsync(page);
        var hubSockets = 0;
        page.WebSocket += (_, socket) => hubSockets += socket.Url.Contains("/hub/chat", StringComparison.Ordinal) ? 1 : 0;
        await page.GotoAsync(server.ToString());
        await page.FillAsync("#name", name);
        await page.ClickAsync("#join-button");
        if (replicaBadge is null)
        {
            await Assertions.Expect(page.Locator("#replica")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^replica "));
        }
        else
        {
            await Assertions.Expect(page.Locator("#replica")).ToHaveTextAsync(replicaBadge);
        }

        await Assertions.Expect(page.Locator("#state")).ToHaveTextAsync("connected");
        await StrictContentSecurityPolicy.AssertNoViolationsAsync(page);
        Assert.True(hubSockets > 0, "the page did not connect over a WebSocket");
        return page;
    }

    internal static async Task SendAsync(IPage page, string text)
    {
        await page.FillAsync("#message", text);
        await page.ClickAsync("#send-button");
        await Assertions.Expect(page.Locator("#message")).ToHaveValueAsync(string.Empty);
    }
}
