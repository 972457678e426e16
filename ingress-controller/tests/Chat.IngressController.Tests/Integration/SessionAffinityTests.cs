using Chat.Testing.Kubernetes.FakeApi;
using Chat.IngressController.Tests.Support;
using Chat.Testing;
using static Chat.IngressController.Tests.Support.Objects;

namespace Chat.IngressController.Tests.Integration;

/// <summary>`affinity: cookie` through the running proxy, also while the bound endpoint terminates.</summary>
[Collection(IntegrationCollection.Name)]
public sealed class SessionAffinityTests
{
    private const string Host = "sticky.example.com";

    [Fact]
    public async Task A_client_with_the_cookie_stays_on_its_endpoint_even_while_it_drains_and_new_clients_go_elsewhere()
    {
        await using var one = await EchoBackend.StartAsync("one");
        await using var two = await EchoBackend.StartAsync("two");
        await using var api = await FakeKubeApiServer.StartAsync();
        api.Apply(IngressClass());
        api.Apply(Service("web", "web"));
        ApplyEndpoints(api, one, two, oneTerminating: false);
        api.Apply(Ingress("web", "sticky", "web", host: Host, annotations: new Dictionary<string, string>
        {
            ["nginx.ingress.kubernetes.io/affinity"] = "cookie",
            ["nginx.ingress.kubernetes.io/session-cookie-name"] = "route",
            ["nginx.ingress.kubernetes.io/session-cookie-path"] = "/app",
            ["nginx.ingress.kubernetes.io/session-cookie-max-age"] = "600",
        }, path: "/app"));
        await using var controller = await ControllerHost.StartReadyAsync(api);
        using var http = new HttpClient(new SocketsHttpHandler { UseCookies = false }) { BaseAddress = controller.Http, Timeout = TimeSpan.FromSeconds(5) };

        // Without the cookie, clients are spread over both endpoints, and each is given the cookie.
        var fresh = new List<(string Backend, string Cookie)>();
        for (var i = 0; i < 6; i++)
        {
            fresh.Add(await GetAsync(http, cookie: null));
        }

        Assert.Equal(["one", "two"], fresh.Select(f => f.Backend).Distinct().Order());
        var setCookie = (await SendAsync(http, cookie: null)).Headers.GetValues("Set-Cookie").Single();
        Assert.StartsWith("route=", setCookie);
        Assert.Contains("path=/app", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("max-age=600", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);

        // With the cookie, every request goes to the endpoint it names.
        var onOne = fresh.First(f => f.Backend == "one").Cookie;
        var onTwo = fresh.First(f => f.Backend == "two").Cookie;
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal("one", (await GetAsync(http, onOne)).Backend);
            Assert.Equal("two", (await GetAsync(http, onTwo)).Backend);
        }

        // "one" terminates (serving, not ready): its bound clients keep reaching it during the drain, new ones do not.
        ApplyEndpoints(api, one, two, oneTerminating: true);
        Assert.True(
            await Eventually.TrueAsync(async () => (await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => GetAsync(http, null)))).All(f => f.Backend == "two"), TimeSpan.FromSeconds(10)),
            "new clients still land on the terminating endpoint");
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal("one", (await GetAsync(http, onOne)).Backend);
        }
    }

    private static void ApplyEndpoints(FakeKubeApiServer api, EchoBackend one, EchoBackend two, bool oneTerminating)
    {
        foreach (var slice in Slices("web", "web", [(one.Port, !oneTerminating, true, oneTerminating), (two.Port, true, true, false)]))
        {
            api.Apply(slice);
        }
    }

    private static async Task<(string Backend, string Cookie)> GetAsync(HttpClient http, string? cookie)
    {
        using var response = await SendAsync(http, cookie);
        response.EnsureSuccessStatusCode();
        var backend = (await response.Content.ReadAsStringAsync()).Split(' ')[0];
        var given = response.Headers.TryGetValues("Set-Cookie", out var values) ? values.Single().Split(';')[0] : cookie;
        return (backend, given ?? "");
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient http, string? cookie)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/app/page");
        request.Headers.Host = Host;
        if (cookie is not null)
        {
            request.Headers.Add("Cookie", cookie);
        }

        return http.SendAsync(request);
    }
}
