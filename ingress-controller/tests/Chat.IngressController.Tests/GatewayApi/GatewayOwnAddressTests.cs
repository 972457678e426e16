using System.Net.WebSockets;
using Chat.IngressController.GatewayApi.Models;
using static Chat.IngressController.Tests.GatewayApi.ConformanceYaml;
using static Chat.IngressController.Tests.GatewayApi.GatewayFixture;

namespace Chat.IngressController.Tests.GatewayApi;

/// <summary>
/// Gateways on addresses of their own (IngressController:GatewayPorts): the conformance case HTTPRouteMultipleGateways,
/// and honest conditions when a Gateway's ports cannot be served. Requests go where kube-proxy would send a client of
/// a Gateway's address: the target port of the LoadBalancer Service with that address.
/// </summary>
[Collection(OwnAddressGatewayCollection.Name)]
public sealed class GatewayOwnAddressTests(OwnAddressGatewayFixture fixture)
{
    [Fact]
    public async Task HTTPRouteMultipleGateways()
    {
        using var applied = new AppliedManifests(fixture, All(
            Route("multiple-gateways-shared-route", "  - {matches: [{path: {type: PathPrefix, value: /shared}}], backendRefs: [{name: infra-backend-v1, port: 8080}]}",
                Parent("same-namespace") + ", " + Parent("all-namespaces")),
            Route("same-namespace-dedicated-route", BackendRule("infra-backend-v2"), Parent("same-namespace")),
            Route("all-namespaces-dedicated-route", BackendRule("infra-backend-v3"), Parent("all-namespaces"))));

        var addresses = new List<string>();
        foreach (var (gateway, dedicated, backend) in new[]
        {
            ("same-namespace", "same-namespace-dedicated-route", "infra-backend-v2"),
            ("all-namespaces", "all-namespaces-dedicated-route", "infra-backend-v3"),
        })
        {
            // GatewayAndHTTPRoutesMustBeAccepted: programmed with an address, both routes accepted by this parent.
            var (address, port) = await AddressAsync(gateway);
            addresses.Add(address);
            foreach (var route in new[] { "multiple-gateways-shared-route", dedicated })
            {
                await fixture.RouteConditionAsync(Infra, route, gateway, Conditions.Accepted, "True", Conditions.Reasons.Accepted);
                await fixture.RouteConditionAsync(Infra, route, gateway, Conditions.ResolvedRefs, "True");
            }

            await fixture.RoutesToAsync("/shared", "infra-backend-v1", port: port);
            await fixture.RoutesToAsync("/", backend, port: port);
            for (var i = 0; i < 10; i++)
            {
                Assert.Equal(backend, (await fixture.HttpAsync("/", port: port)).Backend);
            }
        }

        // Each Gateway has its own address, and neither is served on the controller's shared one.
        Assert.Equal(2, addresses.Distinct().Count());
        Assert.DoesNotContain("203.0.113.10", addresses);
        await fixture.StatusIsAsync("/shared", 404);
    }

    [Fact]
    public async Task GatewayOwnAddressPortsUnavailable()
    {
        // A WebSocket open through another Gateway stays open while this one's ports are opened and closed. Its path and
        // backend are this test's own: a "/" route of an earlier test (to infra-backend-v2 on this Gateway) may still be
        // serving until its deletion is applied, and then drains what it carried, so the socket must not open before
        // this route serves it.
        using var backend = new AppliedManifests(fixture, Route("websocket-other-gateway",
            "  - {matches: [{path: {type: PathPrefix, value: /ports-unavailable}}], backendRefs: [{name: infra-backend-v3, port: 8080}]}", Parent("same-namespace")));
        var (_, otherPort) = await AddressAsync("same-namespace");
        await fixture.RoutesToAsync("/ports-unavailable", "infra-backend-v3", port: otherPort);
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{otherPort}/ports-unavailable/ws"), CancellationToken.None);
        await EchoesAsync(socket, "before");

        var gateway = new AppliedManifests(fixture, Gateway("gateway-ports-unavailable", """
              - {name: first, port: 80, protocol: HTTP}
              - {name: held, port: 8080, protocol: HTTP}
              - {name: beyond, port: 8081, protocol: HTTP}
            """));
        try
        {
            await fixture.GatewayConditionAsync(Infra, "gateway-ports-unavailable", Conditions.Programmed, "False", Conditions.Reasons.NoResources);
            await fixture.ListenerAsync(Infra, "gateway-ports-unavailable", "first", Conditions.Programmed, "True");
            var held = await fixture.ListenerAsync(Infra, "gateway-ports-unavailable", "held", Conditions.Programmed, "False", Conditions.Reasons.Pending);
            Assert.Contains($"{fixture.HeldPort} cannot be opened", held.Conditions.First(c => c.Type == Conditions.Programmed).Message);
            var beyond = await fixture.ListenerAsync(Infra, "gateway-ports-unavailable", "beyond", Conditions.Programmed, "False", Conditions.Reasons.Pending);
            Assert.Contains("no free port", beyond.Conditions.First(c => c.Type == Conditions.Programmed).Message);
            await EchoesAsync(socket, "while open");
        }
        finally
        {
            gateway.Dispose();
        }

        // Its Service goes with it; the other Gateway's WebSocket is still open.
        Assert.True(await Chat.Testing.Eventually.TrueAsync(() => !fixture.Api.All<k8s.Models.V1Service>("", "services")
            .Any(s => s.Metadata.Annotations?.Values.Contains(Infra + "/gateway-ports-unavailable") == true), TimeSpan.FromSeconds(15)));
        await EchoesAsync(socket, "after");
        Assert.Equal(WebSocketState.Open, socket.State);
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
    }

    /// <summary>Waits until a base Gateway is programmed with an address of its own; returns it and the pod port its listener port 80 leads to.</summary>
    private async Task<(string Address, int Port)> AddressAsync(string gateway)
    {
        var programmed = await fixture.GatewayConditionAsync(Infra, gateway, Conditions.Programmed, "True");
        var address = Assert.Single(programmed.Status!.Addresses!).Value!;
        int? port = null;
        Assert.True(await Chat.Testing.Eventually.TrueAsync(() => (port = fixture.PodPortOf(address, 80)) is not null, TimeSpan.FromSeconds(15)),
            $"no LoadBalancer Service has the address {address} of Gateway {gateway}");
        return (address, port!.Value);
    }

    private static async Task EchoesAsync(ClientWebSocket socket, string text)
    {
        await socket.SendAsync(System.Text.Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);
        var buffer = new byte[256];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var received = await socket.ReceiveAsync(buffer, timeout.Token);
        Assert.Equal(text, System.Text.Encoding.UTF8.GetString(buffer, 0, received.Count));
    }
}
