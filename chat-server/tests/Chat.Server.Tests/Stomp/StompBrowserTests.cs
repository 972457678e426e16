using Chat.Server.Connections;
using Chat.Server.Tests.Browser;
using Chat.Server.Tests.Support;
using Chat.Testing;
using Microsoft.Extensions.DependencyInjection;
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
        await StrictContentSecurityPolicy.AssertNoViolationsAsync(bob);
        await Assertions.Expect(bob.Locator("#messageArea .chat-message span").Last).ToHaveTextAsync("alice");

        Directory.CreateDirectory(BrowserChatTests.ScreenshotFolder);
        await bob.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserChatTests.ScreenshotFolder, "stomp-spring-demo-bob.png"), FullPage = true });

        await alice.CloseAsync();
        await Assertions.Expect(bob.Locator("#messageArea .event-message", new() { HasTextString = "alice left!" })).ToBeVisibleAsync();
        await bob.CloseAsync();
    }

    [Fact]
    public async Task The_page_moved_by_the_server_resubscribes_and_shows_every_message_once()
    {
        await using var server = new InProcessChatServer(new Dictionary<string, string?> { ["Chat:ReplicaId"] = "solo" });
        await using var alice = await RawHubClient.ConnectAsync(server.BaseAddress);
        await alice.JoinAsync("moving", "alice");
        var page = await OpenAsync(server.BaseAddress, "bob", "moving");
        await Assertions.Expect(page.Locator(".chat-header")).ToHaveAttributeAsync("data-replica", "solo");
        await alice.SendAsync("moving", "m1");
        var chats = page.Locator("#messageArea .chat-message p");
        await Assertions.Expect(chats).ToHaveCountAsync(1);

        // The server closes the page's WebSocket with 1012 (the newest connection) while messages keep coming.
        var registry = server.Services.GetRequiredService<ConnectionRegistry>();
        var connection = registry.Snapshot()[0];
        Assert.Equal("stomp", connection.Protocol);
        var closing = connection.CloseForRebalanceAsync("rebalance");
        for (var i = 2; i <= 10; i++)
        {
            await alice.SendAsync("moving", $"m{i}");
        }

        await closing;
        await Assertions.Expect(chats).ToHaveCountAsync(10);
        Assert.Equal(Enumerable.Range(1, 10).Select(i => $"m{i}"), await chats.AllTextContentsAsync());
        Assert.True(await Eventually.TrueAsync(() => registry.Count == 2 && registry.Snapshot().All(c => c.Id != connection.Id), TimeSpan.FromSeconds(20)));
        await Assertions.Expect(page.Locator(".connecting")).ToBeHiddenAsync();
        // bob's JOIN once: within the presence grace period the resubscribing page is no new member.
        await Assertions.Expect(page.Locator("#messageArea .event-message", new() { HasTextString = "bob joined!" })).ToHaveCountAsync(1);
        await page.CloseAsync();
    }

    private async Task<IPage> OpenAsync(Uri server, string name, string room = "spring-demo")
    {
        var page = await chromium.Browser.NewPageAsync();
        page.SetDefaultTimeout(15_000);
        await StrictContentSecurityPolicy.ApplyAsync(page);
        await page.GotoAsync(new Uri(server, $"/stomp/?room={room}").ToString());
        await page.FillAsync("#name", name);
        await page.ClickAsync("#usernameForm button");
        await Assertions.Expect(page.Locator(".connecting")).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("#messageArea .event-message", new() { HasTextString = $"{name} joined!" })).ToBeVisibleAsync();
        await StrictContentSecurityPolicy.AssertNoViolationsAsync(page);
        return page;
    }
}
