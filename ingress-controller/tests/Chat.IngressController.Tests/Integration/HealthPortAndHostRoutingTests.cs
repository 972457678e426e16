using System.Net;
using Chat.Testing.Kubernetes.FakeApi;
using Chat.IngressController.Tests.Support;
using Chat.Testing;
using static Chat.IngressController.Tests.Support.Objects;

namespace Chat.IngressController.Tests.Integration;

/// <summary>
/// What the serving controller answers: probes and metrics on the health port only; requests for many hosts, with
/// wildcards and a default, each to its own Ingress's backend.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class HealthPortAndHostRoutingTests
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };

    [Fact]
    public async Task Probes_and_metrics_are_served_on_the_health_port_only()
    {
        await using var a = await EchoBackend.StartAsync("a");
        await using var api = await FakeKubeApiServer.StartAsync();
        api.Apply(IngressClass());
        api.Apply(Service("web", "web"));
        api.Apply(Slice("web", "web", [(a.Port, true, true, false)], "web-1"));
        api.Apply(Ingress("web", "web", "web"));
        await using var controller = await ControllerHost.StartAsync(api);
        Assert.True(await Eventually.TrueAsync(async () => (await Http.GetAsync(new Uri(controller.Health, "/readyz"))).IsSuccessStatusCode, TimeSpan.FromSeconds(30)));

        Assert.Equal(HttpStatusCode.OK, (await Http.GetAsync(new Uri(controller.Health, "/healthz"))).StatusCode);
        Assert.Contains("ingress_controller_config_generation", await Http.GetStringAsync(new Uri(controller.Health, "/metrics")));

        // On the traffic port the Ingress routes every path, but the proxy core keeps these internal.
        foreach (var path in new[] { "/healthz", "/readyz", "/metrics" })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await Http.GetAsync(new Uri(controller.Http, path))).StatusCode);
        }

        Assert.Equal("a /x 0", await Http.GetStringAsync(new Uri(controller.Http, "/x")));

        // The health port proxies nothing, not even a path the Ingress routes on the traffic port.
        foreach (var path in new[] { "/", "/x", "/healthz/x" })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await Http.GetAsync(new Uri(controller.Health, path))).StatusCode);
        }
    }

    [Fact]
    public async Task Each_of_many_hosts_reaches_its_own_backend_and_a_wildcard_or_the_default_takes_the_rest()
    {
        const int Hosts = 300;
        await using var a = await EchoBackend.StartAsync("a");
        await using var b = await EchoBackend.StartAsync("b");
        await using var c = await EchoBackend.StartAsync("c");
        await using var api = await FakeKubeApiServer.StartAsync();
        api.Apply(IngressClass());
        foreach (var (service, backend) in new[] { ("even", a), ("odd", b), ("rest", c) })
        {
            api.Apply(Service("web", service));
            api.Apply(Slice("web", service, [(backend.Port, true, true, false)], service + "-1"));
        }

        for (var i = 0; i < Hosts; i++)
        {
            api.Apply(Ingress("web", "h" + i, i % 2 == 0 ? "even" : "odd", host: $"h{i}.example.com"));
        }

        api.Apply(Ingress("web", "wildcard", "odd", host: "*.wild.example.com"));
        api.Apply(Ingress("web", "default", "rest"));
        await using var controller = await ControllerHost.StartAsync(api);

        Assert.True(await Eventually.TrueAsync(async () => await GetAsync(controller, $"h{Hosts - 1}.example.com") == "b", TimeSpan.FromSeconds(30)),
            "the last Ingress is served");
        for (var i = 0; i < Hosts; i += 7)
        {
            Assert.Equal(i % 2 == 0 ? "a" : "b", await GetAsync(controller, $"h{i}.example.com"));
            Assert.Equal(i % 2 == 0 ? "a" : "b", await GetAsync(controller, $"H{i}.EXAMPLE.com:{controller.HttpPort}"));
        }

        Assert.Equal("b", await GetAsync(controller, "x.wild.example.com"));
        Assert.Equal("c", await GetAsync(controller, "wild.example.com"));
        Assert.Equal("c", await GetAsync(controller, $"h{Hosts}.example.com"));

        // A route change among them is followed, and the others keep their backends.
        api.Apply(Ingress("web", "h0", "rest", host: "h0.example.com"));
        Assert.True(await Eventually.TrueAsync(async () => await GetAsync(controller, "h0.example.com") == "c", TimeSpan.FromSeconds(30)));
        Assert.Equal("a", await GetAsync(controller, "h2.example.com"));
    }

    /// <summary>The name of the backend that answered a request for a host.</summary>
    private static async Task<string> GetAsync(ControllerHost controller, string host)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, controller.Http) { Headers = { Host = host } };
        using var response = await Http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode ? body.Split(' ')[0] : ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
