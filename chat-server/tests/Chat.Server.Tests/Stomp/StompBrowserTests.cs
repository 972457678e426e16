using Chat.Server.Tests.Browser;
using Chat.Server.Tests.Support;
using Microsoft.Playwright;

namespace Chat.Server.Tests.Stomp;

/// <summary>The Spring chat demo's page (wwwroot/stomp, @stomp/stompjs over a plain WebSocket) in Chromium, on two replicas.</summary>
[Collection(StompReplicasCollection.Name)]
public sealed class StompBrowserTests(StompReplicas replicas, Chromium chromium) : IClassFixture<Chromium>
{
    [Fact]
    public async Task Spring_demo_flow_in_chromium_join_chat_and_leave_across_replicas()
    {
        var alice = await OpenAsync(replicas.A.BaseAddress, "alice");
        var bob = await OpenAsync(replicas.B.BaseAddress, "bob");
        await Assertions.Expect(alice.Locator("#messageArea .event-message", new() { HasTextString = "bob joined!" })).ToBeVisibleAsync();

        await alice.FillAsync("#message", "hello <b>bob</b>");
        await alice.ClickAsync("#messageForm button");
        var atBob = bob.Locator("#messageArea .chat-message p", new() { HasTextString = "hello <b>bob</b>" });
        await Assertions.Expect(atBob).ToBeVisibleAsync();
        Assert.Equal(0, await bob.Locator("#messageArea b").CountAsync()); // shown as text, never as markup
        await Assertions.Expect(bob.Locator("#messageArea .chat-message span").Last).ToHaveTextAsync("alice");

        Directory.CreateDirectory(BrowserChatTests.ScreenshotFolder);
        await bob.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserChatTests.ScreenshotFolder, "stomp-spring-demo-bob.png"), FullPage = true });

        await alice.CloseAsync();
        await Assertions.Expect(bob.Locator("#messageArea .event-message", new() { HasTextString = "alice left!" })).ToBeVisibleAsync();
        await bob.CloseAsync();
    }

    private async Task<IPage> OpenAsync(Uri server, string name)
    {
        var page = await chromium.Browser.NewPageAsync();
        page.SetDefaultTimeout(15_000);
        await page.GotoAsync(new Uri(server, "/stomp/?room=spring-demo").ToString());
        await page.FillAsync("#name", name);
        await page.ClickAsync("#usernameForm button");
        await Assertions.Expect(page.Locator(".connecting")).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("#messageArea .event-message", new() { HasTextString = $"{name} joined!" })).ToBeVisibleAsync();
        return page;
    }
}
