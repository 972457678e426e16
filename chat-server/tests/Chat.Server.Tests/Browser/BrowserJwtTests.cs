using Chat.Server.Tests.Support;
using Chat.Testing;
using Microsoft.Playwright;
using static Chat.Server.Tests.Browser.BrowserChatTests;

namespace Chat.Server.Tests.Browser;

/// <summary>The pages in a real Chromium on a server in Jwt mode: names from the token, refreshed in band.</summary>
public sealed class BrowserJwtTests(Chromium chromium) : IClassFixture<Chromium>
{
    [Fact]
    public async Task Pages_sign_in_with_dev_tokens_chat_as_the_tokens_names_and_outlive_the_first_tokens()
    {
        await using var server = new InProcessChatServer(DevTokenServer.Settings(5));
        // A fullwidth name: the token carries its normalised form, and that is the sender everyone sees.
        var alice = await OpenChatAsync(chromium.Browser, server.BaseAddress, "ａｌｉｃｅ", replicaBadge: null);
        var tokens = 0;
        alice.Request += (_, request) => tokens += request.Url.Contains("/auth/dev-token", StringComparison.Ordinal) ? 1 : 0;
        var aliceSockets = 0;
        alice.WebSocket += (_, _) => aliceSockets++;
        var bob = await OpenChatAsync(chromium.Browser, server.BaseAddress, "bob", replicaBadge: null);

        // Tokens live 5 s: two more tokens on alice's page are two in-band refreshes, past the first token's expiry.
        Assert.True(await Eventually.TrueAsync(() => Volatile.Read(ref tokens) >= 2, TimeSpan.FromSeconds(30)), $"alice's page got {tokens} new tokens");
        await SendAsync(alice, "signed in with a token");
        var shown = bob.Locator(".message", new() { HasTextString = "signed in with a token" });
        await Assertions.Expect(shown.Locator(".sender")).ToHaveTextAsync("alice");
        await SendAsync(bob, "hello alice");
        await Assertions.Expect(alice.Locator(".message", new() { HasTextString = "hello alice" }).Locator(".sender")).ToHaveTextAsync("bob");
        await Assertions.Expect(alice.Locator("#state")).ToHaveTextAsync("connected");
        Assert.Equal(0, aliceSockets); // the page never reconnected: each refresh went over its first connection

        // The STOMP page signs in the same way and sees the same sender.
        var carol = await chromium.Browser.NewPageAsync();
        await StrictContentSecurityPolicy.ApplyAsync(carol);
        await carol.GotoAsync(new Uri(server.BaseAddress, "stomp/").ToString());
        await carol.FillAsync("#name", "carol");
        await carol.ClickAsync("button.username-submit");
        await Assertions.Expect(carol.Locator("#messageArea .chat-message", new() { HasTextString = "signed in with a token" }).Locator("span")).ToHaveTextAsync("alice");
        await StrictContentSecurityPolicy.AssertNoViolationsAsync(carol);
        foreach (var page in new[] { alice, bob, carol })
        {
            await page.CloseAsync();
        }
    }

    [Fact]
    public async Task Without_dev_tokens_the_pages_say_a_token_from_the_identity_provider_is_needed()
    {
        await using var server = new InProcessChatServer(new Dictionary<string, string?>
        {
            ["Chat:Auth:Mode"] = "Jwt",
            ["Chat:Auth:Jwt:SigningKeys:0"] = Convert.ToBase64String(new byte[32]),
            ["Chat:Auth:Jwt:Issuers:0"] = "https://idp.example",
        });
        var page = await chromium.Browser.NewPageAsync();
        await StrictContentSecurityPolicy.ApplyAsync(page);
        await page.GotoAsync(server.BaseAddress.ToString());
        await page.FillAsync("#name", "dave");
        await page.ClickAsync("#join-button");
        await Assertions.Expect(page.Locator("#login-error")).ToContainTextAsync("identity provider");

        await page.GotoAsync(new Uri(server.BaseAddress, "stomp/").ToString());
        await page.FillAsync("#name", "dave");
        await page.ClickAsync("button.username-submit");
        await Assertions.Expect(page.Locator(".connecting")).ToContainTextAsync("identity provider");
        await StrictContentSecurityPolicy.AssertNoViolationsAsync(page);
        await page.CloseAsync();
    }
}
