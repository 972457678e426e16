using Microsoft.Playwright;

namespace Chat.Server.Tests.Support;

/// <summary>
/// The machine's Chromium (never a downloaded one), driven by Playwright; one per test class. Local network access
/// checks are off: a document served through a Playwright route (see <see cref="StrictContentSecurityPolicy"/>)
/// counts as public, and its WebSockets to 127.0.0.1 would be refused (SignalR would fall back to SSE unseen).
/// </summary>
public sealed class Chromium : IAsyncLifetime
{
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-features=LocalNetworkAccessChecks"],
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}
