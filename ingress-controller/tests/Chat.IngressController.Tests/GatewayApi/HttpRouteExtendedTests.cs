using System.Net;
using System.Net.WebSockets;
using System.Text;
using Chat.IngressController.GatewayApi.Models;
using static Chat.IngressController.Tests.GatewayApi.GatewayFixture;

namespace Chat.IngressController.Tests.GatewayApi;

/// <summary>The conformance suite's Extended HTTPRoute and Gateway features this controller claims, by ShortName.</summary>
[Collection(GatewayCollection.Name)]
public sealed class HttpRouteExtendedTests(GatewayFixture fixture)
{
    private const string V1 = "infra-backend-v1";
    private const string V2 = "infra-backend-v2";
    private const string V3 = "infra-backend-v3";

    private static string Route(string name, string rules, string extra = "") => $"""
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {"{"}name: {name}, namespace: gateway-conformance-infra{"}"}
        spec:
          parentRefs: [{"{"}name: same-namespace{"}"}]
        {extra}
          rules:
        {rules}
        """;

    [Fact]
    public async Task HTTPRouteQueryParamMatching()
    {
        using var applied = new AppliedManifests(fixture, Route("query-param-matching", """
              - {matches: [{queryParams: [{name: animal, value: whale}]}], backendRefs: [{name: infra-backend-v1, port: 8080}]}
              - {matches: [{queryParams: [{name: animal, value: dolphin}]}], backendRefs: [{name: infra-backend-v2, port: 8080}]}
              - {matches: [{queryParams: [{name: animal, value: dolphin}, {name: color, value: blue}]}, {queryParams: [{name: ANIMAL, value: Whale}]}], backendRefs: [{name: infra-backend-v3, port: 8080}]}
              - {matches: [{queryParams: [{name: id, type: RegularExpression, value: "[0-9]+"}]}], backendRefs: [{name: infra-backend-v2, port: 8080}]}
            """));
        await fixture.RoutesToAsync("/?animal=whale", V1);
        await fixture.RoutesToAsync("/?animal=dolphin", V2);
        await fixture.RoutesToAsync("/?animal=dolphin&color=blue", V3);
        await fixture.RoutesToAsync("/?ANIMAL=Whale", V3);
        await fixture.RoutesToAsync("/?id=42", V2);
        await fixture.StatusIsAsync("/?animal=pug", 404);
        await fixture.StatusIsAsync("/?id=x42", 404);
    }

    [Fact]
    public async Task HTTPRouteMethodMatching()
    {
        using var applied = new AppliedManifests(fixture, Route("method-matching", """
              - {matches: [{method: POST}], backendRefs: [{name: infra-backend-v1, port: 8080}]}
              - {matches: [{method: GET}], backendRefs: [{name: infra-backend-v2, port: 8080}]}
            """));
        await fixture.RoutesToAsync("/", V1, method: "POST");
        await fixture.RoutesToAsync("/", V2, method: "GET");
        await fixture.EventuallyAsync(() => fixture.HttpAsync("/", method: "HEAD"), r => r.Status == HttpStatusCode.NotFound, "HEAD is not matched");
    }

    [Fact]
    public async Task HTTPRouteResponseHeaderModifier()
    {
        using var applied = new AppliedManifests(fixture, Route("response-header-modifier", """
              - matches: [{path: {type: PathPrefix, value: /set}}]
                filters: [{type: ResponseHeaderModifier, responseHeaderModifier: {set: [{name: X-Header-Set, value: set-overwrites-values}]}}]
                backendRefs: [{name: infra-backend-v1, port: 8080}]
              - matches: [{path: {type: PathPrefix, value: /add}}]
                filters: [{type: ResponseHeaderModifier, responseHeaderModifier: {add: [{name: X-Header-Add, value: add-appends-values}]}}]
                backendRefs: [{name: infra-backend-v1, port: 8080}]
              - matches: [{path: {type: PathPrefix, value: /remove}}]
                filters: [{type: ResponseHeaderModifier, responseHeaderModifier: {remove: [Content-Type]}}]
                backendRefs: [{name: infra-backend-v1, port: 8080}]
            """));
        var set = await fixture.EventuallyAsync(() => fixture.HttpAsync("/set"), r => r.Headers.ContainsKey("x-header-set"), "set response header");
        Assert.Equal("set-overwrites-values", set.Headers["x-header-set"]);
        Assert.Equal("add-appends-values", (await fixture.HttpAsync("/add")).Headers["x-header-add"]);
        Assert.False((await fixture.HttpAsync("/remove")).Headers.ContainsKey("content-type"));
    }

    [Theory]
    [InlineData("HTTPRouteRedirectScheme", "{scheme: https}", 302, "https://example.com/scheme")]
    [InlineData("HTTPRouteRedirectPort", "{port: 8083}", 302, "http://example.com:8083/port")]
    [InlineData("HTTPRouteRedirectPortAndScheme", "{scheme: https, port: 443}", 302, "https://example.com/port-and-scheme")]
    [InlineData("HTTPRouteRedirectPath", "{path: {type: ReplaceFullPath, replaceFullPath: /full-path-replaced}}", 302, "http://example.com/full-path-replaced")]
    [InlineData("HTTPRouteRedirectPathPrefix", "{path: {type: ReplacePrefixMatch, replacePrefixMatch: /replacement-prefix}}", 302, "http://example.com/replacement-prefix/one?a=b")]
    [InlineData("HTTPRoute303Redirect", "{statusCode: 303}", 303, "http://example.com/three")]
    [InlineData("HTTPRoute307Redirect", "{statusCode: 307}", 307, "http://example.com/seven")]
    [InlineData("HTTPRoute308Redirect", "{statusCode: 308}", 308, "http://example.com/eight")]
    public async Task HTTPRouteRedirect(string shortName, string redirect, int status, string location)
    {
        var path = new Uri(location).AbsolutePath switch
        {
            "/full-path-replaced" => "/path",
            "/replacement-prefix/one" => "/prefix/one",
            var p => p,
        };
        var requestPath = path + (location.EndsWith("?a=b", StringComparison.Ordinal) ? "?a=b" : "");
        var match = path == "/prefix/one" ? "/prefix" : path;
        using var applied = new AppliedManifests(fixture, Route(shortName.ToLowerInvariant(), $$$"""
              - matches: [{path: {type: PathPrefix, value: {{{match}}}}}]
                filters: [{type: RequestRedirect, requestRedirect: {{{redirect}}}}]
            """));
        var response = await fixture.EventuallyAsync(() => fixture.HttpAsync(requestPath), r => (int)r.Status == status, shortName);
        Assert.Equal(location, response.Location);
    }

    [Fact]
    public async Task HTTPRouteRewriteHost()
    {
        using var applied = new AppliedManifests(fixture, Route("rewrite-host", """
              - matches: [{path: {type: PathPrefix, value: /one}}]
                filters: [{type: URLRewrite, urlRewrite: {hostname: one.example.org}}]
                backendRefs: [{name: infra-backend-v1, port: 8080}]
              - filters: [{type: URLRewrite, urlRewrite: {hostname: example.org}}]
                backendRefs: [{name: infra-backend-v2, port: 8080}]
            """, "  hostnames: [rewrite.example]"));
        await fixture.RouteConditionAsync(Infra, "rewrite-host", "same-namespace", Conditions.Accepted, "True");
        var one = await fixture.EventuallyAsync(() => fixture.HttpAsync("/one", "rewrite.example"), r => r.Backend == V1, "/one");
        Assert.Equal("one.example.org", one.Echo!.Host);
        Assert.Equal("example.org", (await fixture.HttpAsync("/", "rewrite.example")).Echo!.Host);
    }

    [Fact]
    public async Task HTTPRouteRewritePath()
    {
        using var applied = new AppliedManifests(fixture, Route("rewrite-path", """
              - matches: [{path: {type: PathPrefix, value: /prefix/one}}]
                filters: [{type: URLRewrite, urlRewrite: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /one}}}]
                backendRefs: [{name: infra-backend-v1, port: 8080}]
              - matches: [{path: {type: PathPrefix, value: /strip-prefix}}]
                filters: [{type: URLRewrite, urlRewrite: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /}}}]
                backendRefs: [{name: infra-backend-v1, port: 8080}]
              - matches: [{path: {type: PathPrefix, value: /full/one}}]
                filters: [{type: URLRewrite, urlRewrite: {path: {type: ReplaceFullPath, replaceFullPath: /one}}}]
                backendRefs: [{name: infra-backend-v1, port: 8080}]
            """));
        await fixture.RoutesToAsync("/prefix/one/two", V1);
        foreach (var (from, to) in new[]
        {
            ("/prefix/one/two", "/one/two"), ("/prefix/one", "/one"), ("/prefix/one/", "/one/"), ("/strip-prefix/three", "/three"),
            ("/strip-prefix", "/"), ("/full/one/two", "/one"), ("/prefix/one/two?q=1", "/one/two?q=1"),
        })
        {
            Assert.Equal(to, (await fixture.HttpAsync(from)).Echo!.Path);
        }
    }

    [Theory]
    [InlineData("HTTPRouteRequestTimeout", "request")]
    [InlineData("HTTPRouteBackendTimeout", "backendRequest")]
    public async Task HTTPRouteTimeout(string shortName, string field)
    {
        using var applied = new AppliedManifests(fixture, Route(shortName.ToLowerInvariant(), $$$"""
              - timeouts: { {{{field}}}: 500ms }
                backendRefs: [{name: infra-backend-v1, port: 8080}]
            """));
        await fixture.RoutesToAsync("/", V1);
        Assert.Equal(HttpStatusCode.GatewayTimeout, (await fixture.HttpAsync("/delay/2000")).Status);
        Assert.Equal(HttpStatusCode.OK, (await fixture.HttpAsync("/delay/10")).Status);
    }

    [Fact]
    public async Task HTTPRouteBackendRequestHeaderModifier()
    {
        using var applied = new AppliedManifests(fixture, Route("backend-request-header-modifier", """
              - backendRefs:
                - name: infra-backend-v1
                  port: 8080
                  filters: [{type: RequestHeaderModifier, requestHeaderModifier: {set: [{name: X-Backend, value: one}]}}]
                - name: infra-backend-v2
                  port: 8080
                  filters: [{type: RequestHeaderModifier, requestHeaderModifier: {add: [{name: X-Backend, value: two}]}}]
            """));
        await fixture.RoutesToAsync("/", V1);
        await fixture.RoutesToAsync("/", V2);
        for (var i = 0; i < 20; i++)
        {
            var echo = (await fixture.HttpAsync("/")).Echo!;
            Assert.Equal(echo.Service == V1 ? "one" : "two", echo.Headers["x-backend"]);
        }
    }

    [Fact]
    public async Task HTTPRouteBackendProtocolWebSocket()
    {
        // A path of its own: a "/" route of an earlier test may serve until its deletion is applied, then drain the socket.
        using var applied = new AppliedManifests(fixture, Route("backend-protocol-ws",
            "  - {matches: [{path: {type: PathPrefix, value: /backend-protocol-ws}}], backendRefs: [{name: infra-backend-v1, port: 8082}]}"));
        await fixture.RoutesToAsync("/backend-protocol-ws", V1);
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Host", "example.com");
        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{fixture.Controller.HttpPort}/backend-protocol-ws/ws"), CancellationToken.None);
        await socket.SendAsync("ping"u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None);
        var buffer = new byte[16];
        var received = await socket.ReceiveAsync(buffer, new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
        Assert.Equal("ping", Encoding.UTF8.GetString(buffer, 0, received.Count));
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
    }

    [Fact]
    public async Task GatewayHTTPListenerIsolation()
    {
        using var applied = new AppliedManifests(fixture, """
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata: {name: http-listener-isolation, namespace: gateway-conformance-infra}
            spec:
              gatewayClassName: chat
              listeners:
              - {name: empty-hostname, port: 80, protocol: HTTP, allowedRoutes: {namespaces: {from: All}}}
              - {name: wildcard-example-com, port: 80, protocol: HTTP, hostname: "*.isolation.com", allowedRoutes: {namespaces: {from: All}}}
              - {name: wildcard-foo-example-com, port: 80, protocol: HTTP, hostname: "*.foo.isolation.com", allowedRoutes: {namespaces: {from: All}}}
              - {name: abc-foo-example-com, port: 80, protocol: HTTP, hostname: abc.foo.isolation.com, allowedRoutes: {namespaces: {from: All}}}
            ---
            """ + "\n" + string.Join("\n---\n", new[] { ("empty-hostname", V1), ("wildcard-example-com", V2), ("wildcard-foo-example-com", V3), ("abc-foo-example-com", V1) }
                .Select(l => $$$"""
                    apiVersion: gateway.networking.k8s.io/v1
                    kind: HTTPRoute
                    metadata: {name: attaches-to-{{{l.Item1}}}, namespace: gateway-conformance-infra}
                    spec:
                      parentRefs: [{name: http-listener-isolation, sectionName: {{{l.Item1}}}}]
                      rules:
                      - matches: [{path: {type: PathPrefix, value: /{{{l.Item1}}}}}]
                        backendRefs: [{name: {{{l.Item2}}}, port: 8080}]
                    """)));
        await fixture.RoutesToAsync("/empty-hostname", V1, host: "bar.com");
        await fixture.StatusIsAsync("/wildcard-example-com", 404, host: "bar.com");
        await fixture.RoutesToAsync("/wildcard-example-com", V2, host: "bar.isolation.com");
        await fixture.StatusIsAsync("/empty-hostname", 404, host: "bar.isolation.com");
        await fixture.RoutesToAsync("/wildcard-foo-example-com", V3, host: "bar.foo.isolation.com");
        await fixture.StatusIsAsync("/wildcard-example-com", 404, host: "bar.foo.isolation.com");
        await fixture.RoutesToAsync("/abc-foo-example-com", V1, host: "abc.foo.isolation.com");
        await fixture.StatusIsAsync("/wildcard-foo-example-com", 404, host: "abc.foo.isolation.com");
    }

    [Fact]
    public async Task HTTPRouteUnsupportedFilterIsNotAccepted()
    {
        using var applied = new AppliedManifests(fixture, Route("unsupported-mirror", """
              - filters: [{type: RequestMirror, requestMirror: {backendRef: {name: infra-backend-v2, port: 8080}}}]
                backendRefs: [{name: infra-backend-v1, port: 8080}]
            """, "  hostnames: [mirror.example.com]"));
        await fixture.RouteConditionAsync(Infra, "unsupported-mirror", "same-namespace", Conditions.Accepted, "False", Conditions.Reasons.UnsupportedValue);
        await fixture.StatusIsAsync("/", 404, host: "mirror.example.com");
    }
}
