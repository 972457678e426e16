using System.Net;
using System.Net.WebSockets;
using Chat.Contracts;
using Chat.Testing;

namespace Chat.Server.Tests.Security;

/// <summary>
/// The HTTP surface, directly and through the gateway, attacked from 127.0.0.2 while the services count only
/// 127.0.0.1 as internal (issue "Why": /hub/chat accepted Origin http://evil.example, no CSP or nosniff on the pages,
/// /metrics and health public, also through the gateway).
/// </summary>
public sealed class WebSurfaceAttackTests : IAsyncLifetime
{
    private const string Evil = "http://evil.example";
    private static readonly Dictionary<string, string?> InternalIsOnly127001 = new() { ["Internal:AllowedNetworks:0"] = "127.0.0.1/32" };
    private readonly GatewayConfigFile _config = new();
    private ServiceProcess _chat = null!;
    private ServiceProcess _gateway = null!;

    public async Task InitializeAsync()
    {
        _chat = await ServiceProcess.StartAsync("chat-server", "Chat.Server", new Dictionary<string, string?>(InternalIsOnly127001));
        _config.Write(new Dictionary<string, Uri> { ["a"] = _chat.BaseAddress });
        _gateway = await ServiceProcess.StartAsync("gateway", "Chat.Gateway", new Dictionary<string, string?>(InternalIsOnly127001) { ["Gateway:ConfigFile"] = _config.Path });
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _chat.DisposeAsync();
        _config.Dispose();
    }

    [Fact]
    public async Task A_foreign_origin_cannot_open_the_hub_directly_or_through_the_gateway()
    {
        foreach (var entry in new[] { _chat.BaseAddress, _gateway.BaseAddress })
        {
            using var http = Outsider.Http(Outsider.Second, entry);
            using var negotiate = new HttpRequestMessage(HttpMethod.Post, "/hub/chat/negotiate?negotiateVersion=1");
            negotiate.Headers.Add("Origin", Evil);
            using var refused = await http.SendAsync(negotiate);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);

            var socket = await Assert.ThrowsAsync<WebSocketException>(() => Outsider.WebSocketAsync(Outsider.Second, new Uri($"ws://{entry.Authority}/hub/chat"), Evil));
            Assert.Contains("403", socket.Message);
            await Assert.ThrowsAsync<WebSocketException>(() => Outsider.WebSocketAsync(Outsider.Second, new Uri($"ws://{entry.Authority}/ws"), Evil, "v12.stomp"));

            // The page's own origin (the gateway's, as the browser saw it) is fine.
            using var own = new HttpRequestMessage(HttpMethod.Post, "/hub/chat/negotiate?negotiateVersion=1");
            own.Headers.Add("Origin", $"http://{entry.Authority}");
            using var accepted = await http.SendAsync(own);
            Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        }
    }

    [Fact]
    public async Task Pages_carry_a_strict_content_security_policy_and_the_other_security_headers()
    {
        foreach (var path in new[] { "/", "/stomp/", "/js/chat.js" })
        {
            using var http = Outsider.Http(Outsider.Second, _gateway.BaseAddress);
            using var response = await http.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
            Assert.DoesNotContain("unsafe-inline", csp);
            Assert.Contains("script-src 'self'", csp);
            Assert.Contains("frame-ancestors 'none'", csp);
            Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
            Assert.Equal("same-origin", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        }
    }

    [Fact]
    public async Task Metrics_and_health_are_internal_and_never_proxied_to_the_public()
    {
        string[] paths = ["/metrics", "/healthz", "/readyz", "/metrics/", "/METRICS", "/healthz/x"];
        foreach (var entry in new[] { _chat.BaseAddress, _gateway.BaseAddress })
        {
            using var outsider = Outsider.Http(Outsider.Second, entry);
            foreach (var path in paths)
            {
                using var response = await outsider.GetAsync(path);
                Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{entry}{path}: {response.StatusCode}");
            }
        }

        // From an internal address: the service's own, and still never the replicas' through the gateway's routes.
        using var inside = Outsider.Http(IPAddress.Loopback, _gateway.BaseAddress);
        using var page = await inside.GetAsync("/"); // one proxied request, so that the gateway's request counter exists
        var gatewayMetrics = await inside.GetStringAsync("/metrics");
        Assert.Contains("gateway_requests_total", gatewayMetrics);
        Assert.Contains("gateway_refused_total", gatewayMetrics); // the outsider's /healthz/x, refused as internal
        Assert.DoesNotContain("chat_connections_active", gatewayMetrics);
        Assert.DoesNotContain("chat_connections_active", await inside.GetStringAsync("/metrics/")); // the gateway's own again
        using var proxied = await inside.GetAsync("/readyz/replica");
        Assert.Equal(HttpStatusCode.NotFound, proxied.StatusCode);
        using var chat = Outsider.Http(IPAddress.Loopback, _chat.BaseAddress);
        var chatMetrics = await chat.GetStringAsync("/metrics"); // 200 from an internal address
        Assert.Contains("target_info", chatMetrics);
        Assert.DoesNotContain("gateway_requests_total", chatMetrics);
    }
}
