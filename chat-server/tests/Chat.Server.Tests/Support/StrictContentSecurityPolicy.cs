using Microsoft.Playwright;

namespace Chat.Server.Tests.Support;

/// <summary>
/// Serves a page's documents with a strict Content-Security-Policy (no inline scripts or styles, no eval, nothing
/// from elsewhere) and records every violation, so a test shows the pages work under it and break none of it.
/// </summary>
public static class StrictContentSecurityPolicy
{
    public const string Policy =
        "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'";

    public static async Task ApplyAsync(IPage page)
    {
        await page.AddInitScriptAsync(
            "document.addEventListener('securitypolicyviolation', e => (window.cspViolations ??= []).push(e.violatedDirective + ' ' + e.blockedURI));");
        await page.RouteAsync(url => !Path.HasExtension(new Uri(url).AbsolutePath) || url.Contains(".html", StringComparison.Ordinal), async route =>
        {
            if (route.Request.ResourceType != "document")
            {
                await route.ContinueAsync();
                return;
            }

            var response = await route.FetchAsync();
            var headers = new Dictionary<string, string>(response.Headers) { ["content-security-policy"] = Policy };
            await route.FulfillAsync(new RouteFulfillOptions { Response = response, Headers = headers });
        });
    }

    public static async Task AssertNoViolationsAsync(IPage page) =>
        Assert.Equal("[]", await page.EvaluateAsync<string>("() => JSON.stringify(window.cspViolations ?? [])"));
}
