using Chat.Server.Tests.Support;
using Chat.Testing;
using Microsoft.Playwright;

namespace Chat.Server.Tests.Browser;

/// <summary>The browser client in a real Chromium: two pages on two replicas.</summary>
public sealed class BrowserChatTests(TwoReplicas replicas) : IClassFixture<TwoReplicas>
{
    /// <summary>Where the screenshots go: TestResults/screenshots next to this project (git-ignored).</summary>
    public static string ScreenshotFolder { get; } =
        Path.Combine(RepoPaths.Root, "chat-server", "tests", "Chat.Server.Tests", "TestResults", "screenshots");

    [Fact]
    public async Task A_message_sent_on_one_replica_shows_on_a_page_of_the_other_as_text()
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        });
        var alice = await OpenChatAsync(browser, replicas.A.BaseAddress, "alice", "replica a");
        var bob = await OpenChatAsync(browser, replicas.B.BaseAddress, "bob", "replica b");

        await SendAsync(alice, "hello from replica a");
        await Assertions.Expect(bob.Locator(".message .content", new() { HasTextString = "hello from replica a" })).ToBeVisibleAsync();

        const string attack = "<img src=x onerror=\"window.injected=1\">";
        await SendAsync(alice, attack);
        var shown = bob.Locator(".message .content").Last;
        await Assertions.Expect(shown).ToHaveTextAsync(attack);
        Assert.Equal(0, await bob.Locator("#messages img").CountAsync());
        Assert.True(await bob.EvaluateAsync<bool>("() => window.injected === undefined"));

        // Presence and notices: bob sees alice online and her JOIN.
        await Assertions.Expect(bob.Locator("#members li", new() { HasTextString = "alice" })).ToBeVisibleAsync();
        await Assertions.Expect(bob.Locator(".notice", new() { HasTextString = "alice joined" })).ToBeVisibleAsync();

        Directory.CreateDirectory(ScreenshotFolder);
        await bob.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder, "two-replicas-bob.png"), FullPage = true });
    }

    private static async Task<IPage> OpenChatAsync(IBrowser browser, Uri server, string name, string replicaBadge)
    {
        var page = await browser.NewPageAsync();
        page.SetDefaultTimeout(15_000);
        await page.GotoAsync(server.ToString());
        await page.FillAsync("#name", name);
        await page.ClickAsync("#join-button");
        await Assertions.Expect(page.Locator("#replica")).ToHaveTextAsync(replicaBadge);
        await Assertions.Expect(page.Locator("#state")).ToHaveTextAsync("connected");
        return page;
    }

    private static async Task SendAsync(IPage page, string text)
    {
        await page.FillAsync("#message", text);
        await page.ClickAsync("#send-button");
        await Assertions.Expect(page.Locator("#message")).ToHaveValueAsync(string.Empty);
    }
}
