using Chat.IngressController.GatewayApi.Models;
using static Chat.IngressController.Tests.GatewayApi.ConformanceYaml;
using static Chat.IngressController.Tests.GatewayApi.GatewayFixture;

namespace Chat.IngressController.Tests.GatewayApi;

/// <summary>
/// The conformance suite's HTTPRoute Core cases, by ShortName. The base Gateways all-namespaces and
/// backend-namespaces have listener hostnames here (*.all.example.net, *.backend.example.net): without GatewayPorts,
/// Gateways share the controller's address and are isolated by listener hostname (own addresses: GatewayOwnAddressTests).
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class HttpRouteConformanceTests(GatewayFixture fixture)
{
    private const string V1 = "infra-backend-v1";
    private const string V2 = "infra-backend-v2";
    private const string V3 = "infra-backend-v3";

    [Fact]
    public async Task HTTPRouteSimpleSameNamespace()
    {
        using var applied = new AppliedManifests(fixture, Route("gateway-conformance-infra-test", "  - backendRefs: [{name: infra-backend-v1, port: 8080}]", Parent("same-namespace")));
        await fixture.RouteConditionAsync(Infra, "gateway-conformance-infra-test", "same-namespace", Conditions.Accepted, "True", Conditions.Reasons.Accepted);
        await fixture.RouteConditionAsync(Infra, "gateway-conformance-infra-test", "same-namespace", Conditions.ResolvedRefs, "True");
        await fixture.RoutesToAsync("/", V1);
    }

    [Fact]
    public async Task HTTPRouteCrossNamespace()
    {
        using var applied = new AppliedManifests(fixture, Route("cross-namespace", "  - backendRefs: [{name: web-backend, port: 8080}]",
            Parent("backend-namespaces", Infra), WebBackend));
        await fixture.RouteConditionAsync(WebBackend, "cross-namespace", "backend-namespaces", Conditions.Accepted, "True");
        await fixture.RouteConditionAsync(WebBackend, "cross-namespace", "backend-namespaces", Conditions.ResolvedRefs, "True");
        await fixture.RoutesToAsync("/", "web-backend", host: "a.backend.example.net");
    }

    [Fact]
    public async Task HTTPRouteExactPathMatching()
    {
        using var applied = new AppliedManifests(fixture, Route("exact-matching", """
              - matches: [{path: {type: Exact, value: /one}}]
                backendRefs: [{name: infra-backend-v1, port: 8080}]
              - matches: [{path: {type: Exact, value: /two}}]
                backendRefs: [{name: infra-backend-v2, port: 8080}]
            """, Parent("same-namespace")));
        await fixture.RoutesToAsync("/one", V1);
        await fixture.RoutesToAsync("/two", V2);
        foreach (var path in new[] { "/", "/one/example", "/two/", "/Two" })
        {
            await fixture.StatusIsAsync(path, 404);
        }
    }

    [Fact]
    public async Task HTTPRouteHeaderMatching()
    {
        using var applied = new AppliedManifests(fixture, Route("header-matching", """
              - matches: [{headers: [{name: version, value: one}]}]
                backendRefs: [{name: infra-backend-v1, port: 8080}]
              - matches: [{headers: [{name: version, value: two}]}]
                backendRefs: [{name: infra-backend-v2, port: 8080}]
              - matches: [{headers: [{name: version, value: two}, {name: color, value: orange}]}]
                backendRefs: [{name: infra-backend-v1, port: 8080}]
              - matches: [{headers: [{name: color, value: blue}]}, {headers: [{name: color, value: green}]}]
                backendRefs: [{name: infra-backend-v1, port: 8080}]
              - matches: [{headers: [{name: color, value: red}]}, {headers: [{name: color, value: yellow}]}]
                backendRefs: [{name: infra-backend-v2, port: 8080}]
            """, Parent("same-namespace")));
        static Dictionary<string, string> H(params string[] kv) => kv.Chunk(2).ToDictionary(p => p[0], p => p[1]);
        await fixture.RoutesToAsync("/", V1, headers: H("Version", "one"));
        await fixture.RoutesToAsync("/", V2, headers: H("Version", "two"));
        await fixture.RoutesToAsync("/", V1, headers: H("Version", "two", "Color", "orange"));
        await fixture.RoutesToAsync("/", V2, headers: H("Version", "two", "Color", "blue"));
        await fixture.StatusIsAsync("/", 404, headers: H("Color", "orange"));
        await fixture.StatusIsAsync("/", 404, headers: H("Some-Other-Header", "one"));
        await fixture.RoutesToAsync("/", V1, headers: H("Color", "blue"));
        await fixture.RoutesToAsync("/", V1, headers: H("Color", "green"));
        await fixture.RoutesToAsync("/", V2, headers: H("Color", "red"));
        await fixture.RoutesToAsync("/", V2, headers: H("Color", "yellow"));
        await fixture.StatusIsAsync("/", 404, headers: H("Color", "purple"));
        await fixture.StatusIsAsync("/", 404, headers: H("Version", "ONE"));
    }

    [Fact]
    public async Task HTTPRouteHostnameIntersection()
    {
        using var applied = new AppliedManifests(fixture, """
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata: {name: httproute-hostname-intersection, namespace: gateway-conformance-infra}
            spec:
              gatewayClassName: chat
              listeners:
              - {name: listener-1, port: 80, protocol: HTTP, hostname: very.specific.com}
              - {name: listener-2, port: 80, protocol: HTTP, hostname: "*.wildcard.io"}
              - {name: listener-3, port: 80, protocol: HTTP, hostname: "*.anotherwildcard.io"}
            ---
            """ + "\n" + Route("specific-host-matches-listener-specific-host", "  - {matches: [{path: {type: PathPrefix, value: /s1}}], backendRefs: [{name: infra-backend-v1, port: 8080}]}",
                Parent("httproute-hostname-intersection", Infra), extra: "  hostnames: [non.matching.com, \"*.nonmatchingwildcard.io\", very.specific.com]")
            + "\n---\n" + Route("specific-host-matches-listener-wildcard-host", "  - {matches: [{path: {type: PathPrefix, value: /s2}}], backendRefs: [{name: infra-backend-v2, port: 8080}]}",
                Parent("httproute-hostname-intersection", Infra), extra: "  hostnames: [non.matching.com, wildcard.io, foo.wildcard.io, bar.wildcard.io, foo.bar.wildcard.io]")
            + "\n---\n" + Route("wildcard-host-matches-listener-specific-host", "  - {matches: [{path: {type: PathPrefix, value: /s3}}], backendRefs: [{name: infra-backend-v3, port: 8080}]}",
                Parent("httproute-hostname-intersection", Infra), extra: "  hostnames: [non.matching.com, \"*.specific.com\"]")
            + "\n---\n" + Route("wildcard-host-matches-listener-wildcard-host", "  - {matches: [{path: {type: PathPrefix, value: /s4}}], backendRefs: [{name: infra-backend-v1, port: 8080}]}",
                Parent("httproute-hostname-intersection", Infra), extra: "  hostnames: [\"*.anotherwildcard.io\"]")
            + "\n---\n" + Route("no-intersecting-hosts", "  - {matches: [{path: {type: PathPrefix, value: /s5}}], backendRefs: [{name: infra-backend-v2, port: 8080}]}",
                Parent("httproute-hostname-intersection", Infra), extra: "  hostnames: [specific.but.wrong.com, wildcard.io]"));

        await fixture.RoutesToAsync("/s1", V1, host: "very.specific.com");
        foreach (var host in new[] { "non.matching.com", "foo.nonmatchingwildcard.io", "foo.wildcard.io" })
        {
            await fixture.StatusIsAsync("/s1", 404, host: host);
        }

        await fixture.StatusIsAsync("/non-matching-prefix", 404, host: "very.specific.com");
        foreach (var host in new[] { "foo.wildcard.io", "bar.wildcard.io", "foo.bar.wildcard.io" })
        {
            await fixture.RoutesToAsync("/s2", V2, host: host);
        }

        foreach (var host in new[] { "non.matching.com", "wildcard.io", "very.specific.com" })
        {
            await fixture.StatusIsAsync("/s2", 404, host: host);
        }

        await fixture.RoutesToAsync("/s3", V3, host: "very.specific.com");
        foreach (var host in new[] { "non.matching.com", "foo.specific.com", "foo.wildcard.io" })
        {
            await fixture.StatusIsAsync("/s3", 404, host: host);
        }

        foreach (var host in new[] { "foo.anotherwildcard.io", "bar.anotherwildcard.io", "foo.bar.anotherwildcard.io" })
        {
            await fixture.RoutesToAsync("/s4", V1, host: host);
        }

        foreach (var host in new[] { "anotherwildcard.io", "foo.wildcard.io", "very.specific.com" })
        {
            await fixture.StatusIsAsync("/s4", 404, host: host);
        }

        await fixture.RouteConditionAsync(Infra, "no-intersecting-hosts", "httproute-hostname-intersection", Conditions.Accepted, "False", Conditions.Reasons.NoMatchingListenerHostname);
        await fixture.StatusIsAsync("/s5", 404, host: "specific.but.wrong.com");
        await fixture.ListenerAsync(Infra, "httproute-hostname-intersection", "listener-1", Conditions.Accepted, "True", null, 2);
        await fixture.ListenerAsync(Infra, "httproute-hostname-intersection", "listener-2", Conditions.Accepted, "True", null, 1);
        await fixture.ListenerAsync(Infra, "httproute-hostname-intersection", "listener-3", Conditions.Accepted, "True", null, 1);
    }

    [Fact]
    public async Task HTTPRouteHTTPSListener()
    {
        using var applied = new AppliedManifests(fixture,
            Route("httproute-https-test", "  - backendRefs: [{name: infra-backend-v1, port: 8080}]", Parent("same-namespace-with-https-listener"), extra: "  hostnames: [example.org]")
            + "\n---\n" + Route("httproute-https-test-no-hostname", "  - backendRefs: [{name: infra-backend-v2, port: 8080}]",
                "{name: same-namespace-with-https-listener, sectionName: https-with-hostname}"));
        await fixture.RouteConditionAsync(Infra, "httproute-https-test", "same-namespace-with-https-listener", Conditions.Accepted, "True");
        await fixture.EventuallyAsync(() => fixture.HttpsAsync("/", "example.org"), r => r.Backend == V1, "example.org over TLS");
        await fixture.EventuallyAsync(() => fixture.HttpsAsync("/", "unknown-example.org"), r => (int)r.Status == 404, "unknown host over TLS");
        await fixture.EventuallyAsync(() => fixture.HttpsAsync("/", "second-example.org"), r => r.Backend == V2, "second-example.org over TLS");
        // An HTTPS listener's route is not served on the plain HTTP port.
        await fixture.StatusIsAsync("/", 404, host: "second-example.org");
    }

    [Fact]
    public async Task HTTPRouteInvalidBackendRefUnknownKind()
    {
        using var applied = new AppliedManifests(fixture, Route("invalid-backend-ref-unknown-kind",
            "  - backendRefs: [{group: unknownkind.example.com, kind: NonExistent, name: infra-backend-v1, port: 8080}]", Parent("same-namespace")));
        await fixture.RouteConditionAsync(Infra, "invalid-backend-ref-unknown-kind", "same-namespace", Conditions.Accepted, "True");
        await fixture.RouteConditionAsync(Infra, "invalid-backend-ref-unknown-kind", "same-namespace", Conditions.ResolvedRefs, "False", Conditions.Reasons.InvalidKind);
        await fixture.StatusIsAsync("/v2", 500);
    }

    [Fact]
    public async Task HTTPRouteInvalidCrossNamespaceBackendRef()
    {
        using var applied = new AppliedManifests(fixture, Route("invalid-cross-namespace-backend-ref",
            "  - backendRefs: [{name: web-backend, namespace: gateway-conformance-web-backend, port: 8080}]", Parent("same-namespace")));
        await fixture.RouteConditionAsync(Infra, "invalid-cross-namespace-backend-ref", "same-namespace", Conditions.ResolvedRefs, "False", Conditions.Reasons.RefNotPermitted);
        await fixture.StatusIsAsync("/", 500);
    }

    [Fact]
    public async Task HTTPRouteInvalidCrossNamespaceParentRef()
    {
        using var applied = new AppliedManifests(fixture, Route("invalid-cross-namespace-parent-ref", "  - backendRefs: [{name: web-backend, port: 8080}]",
            Parent("same-namespace", Infra), WebBackend));
        await fixture.RouteConditionAsync(WebBackend, "invalid-cross-namespace-parent-ref", "same-namespace", Conditions.ResolvedRefs, "True");
        await fixture.RouteConditionAsync(WebBackend, "invalid-cross-namespace-parent-ref", "same-namespace", Conditions.Accepted, "False", Conditions.Reasons.NotAllowedByListeners);
        await fixture.ListenerAsync(Infra, "same-namespace", "http", Conditions.Accepted, "True", null, 0);
        await fixture.StatusIsAsync("/", 404);
    }

    [Fact]
    public async Task HTTPRouteInvalidNonExistentBackendRef()
    {
        using var applied = new AppliedManifests(fixture, Route("invalid-nonexistent-backend-ref",
            "  - backendRefs: [{name: nonexistent, namespace: gateway-conformance-infra, port: 8080}]", Parent("same-namespace")));
        await fixture.RouteConditionAsync(Infra, "invalid-nonexistent-backend-ref", "same-namespace", Conditions.Accepted, "True");
        await fixture.RouteConditionAsync(Infra, "invalid-nonexistent-backend-ref", "same-namespace", Conditions.ResolvedRefs, "False", Conditions.Reasons.BackendNotFound);
        await fixture.StatusIsAsync("/", 500);
    }

    [Fact]
    public async Task HTTPRouteInvalidParentRefNotMatchingSectionName()
    {
        using var applied = new AppliedManifests(fixture, Route("httproute-listener-not-matching-section-name",
            "  - backendRefs: [{name: infra-backend-v1, kind: Service, port: 8080}]", "{name: same-namespace, namespace: gateway-conformance-infra, port: 80, sectionName: http1}"));
        await fixture.RouteConditionAsync(Infra, "httproute-listener-not-matching-section-name", "same-namespace", Conditions.Accepted, "False", Conditions.Reasons.NoMatchingParent);
        await fixture.ListenerAsync(Infra, "same-namespace", "http", Conditions.Accepted, "True", null, 0);
    }

    [Fact]
    public async Task HTTPRouteInvalidReferenceGrant()
    {
        using var applied = new AppliedManifests(fixture, """
            apiVersion: gateway.networking.k8s.io/v1beta1
            kind: ReferenceGrant
            metadata: {name: reference-grant-wrong-namespace, namespace: gateway-conformance-infra}
            spec:
              from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: gateway-conformance-infra}]
              to: [{group: "", kind: Service, name: web-backend}]
            ---
            apiVersion: gateway.networking.k8s.io/v1beta1
            kind: ReferenceGrant
            metadata: {name: reference-grant-wrong-from-kind, namespace: gateway-conformance-web-backend}
            spec:
              from: [{group: gateway.networking.k8s.io, kind: Gateway, namespace: gateway-conformance-infra}]
              to: [{group: "", kind: Service, name: web-backend}]
            ---
            apiVersion: gateway.networking.k8s.io/v1beta1
            kind: ReferenceGrant
            metadata: {name: reference-grant-wrong-to-kind, namespace: gateway-conformance-web-backend}
            spec:
              from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: gateway-conformance-infra}]
              to: [{group: "", kind: Secret, name: web-backend}]
            ---
            """ + "\n" + Route("reference-grant", "  - backendRefs: [{name: web-backend, namespace: gateway-conformance-web-backend, port: 8080}]", Parent("same-namespace")));
        await fixture.RouteConditionAsync(Infra, "reference-grant", "same-namespace", Conditions.ResolvedRefs, "False", Conditions.Reasons.RefNotPermitted);
        await fixture.StatusIsAsync("/", 500);
    }

    [Fact]
    public async Task HTTPRouteListenerHostnameMatching()
    {
        using var applied = new AppliedManifests(fixture, """
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata: {name: httproute-listener-hostname-matching, namespace: gateway-conformance-infra}
            spec:
              gatewayClassName: chat
              listeners:
              - {name: listener-1, port: 80, protocol: HTTP, hostname: bar.com}
              - {name: listener-2, port: 80, protocol: HTTP, hostname: foo.bar.com}
              - {name: listener-3, port: 80, protocol: HTTP, hostname: "*.bar.com"}
              - {name: listener-4, port: 80, protocol: HTTP, hostname: "*.foo.com"}
            ---
            """ + "\n" + Route("backend-v1", "  - backendRefs: [{name: infra-backend-v1, port: 8080}]", "{name: httproute-listener-hostname-matching, sectionName: listener-1}")
            + "\n---\n" + Route("backend-v2", "  - backendRefs: [{name: infra-backend-v2, port: 8080}]", "{name: httproute-listener-hostname-matching, sectionName: listener-2}")
            + "\n---\n" + Route("backend-v3", "  - backendRefs: [{name: infra-backend-v3, port: 8080}]",
                "{name: httproute-listener-hostname-matching, sectionName: listener-3}, {name: httproute-listener-hostname-matching, sectionName: listener-4}"));
        await fixture.RoutesToAsync("/", V1, host: "bar.com");
        await fixture.RoutesToAsync("/", V2, host: "foo.bar.com");
        foreach (var host in new[] { "baz.bar.com", "boo.bar.com", "multiple.prefixes.bar.com", "multiple.prefixes.foo.com" })
        {
            await fixture.RoutesToAsync("/", V3, host: host);
        }

        await fixture.StatusIsAsync("/", 404, host: "foo.com");
        await fixture.StatusIsAsync("/", 404, host: "no.matching.host");
    }

    [Fact]
    public async Task HTTPRouteMatchingAcrossRoutes()
    {
        using var applied = new AppliedManifests(fixture,
            Route("matching-part1", "  - matches: [{path: {type: PathPrefix, value: /}}, {headers: [{name: version, value: one}]}]\n    backendRefs: [{name: infra-backend-v1, port: 8080}]",
                Parent("same-namespace"), extra: "  hostnames: [example.com, example.net]")
            + "\n---\n" + Route("matching-part2", "  - matches: [{path: {type: PathPrefix, value: /v2}}, {headers: [{name: version, value: two}]}]\n    backendRefs: [{name: infra-backend-v2, port: 8080}]",
                Parent("same-namespace"), extra: "  hostnames: [example.com]"));
        await fixture.RoutesToAsync("/", V1, host: "example.com");
        await fixture.RoutesToAsync("/example", V1, host: "example.com");
        await fixture.RoutesToAsync("/example", V1, host: "example.net");
        await fixture.RoutesToAsync("/example", V1, host: "example.com", headers: new Dictionary<string, string> { ["Version"] = "one" });
        await fixture.RoutesToAsync("/v2", V2, host: "example.com");
        await fixture.RoutesToAsync("/v2", V1, host: "example.net");
        await fixture.RoutesToAsync("/v2/example", V2, host: "example.com");
        await fixture.RoutesToAsync("/", V2, host: "example.com", headers: new Dictionary<string, string> { ["Version"] = "two" });
    }

    [Fact]
    public async Task HTTPRouteMatching()
    {
        using var applied = new AppliedManifests(fixture, Route("matching", """
              - matches: [{path: {type: PathPrefix, value: /}}, {headers: [{name: version, value: one}]}]
                backendRefs: [{name: infra-backend-v1, port: 8080}]
              - matches: [{path: {type: PathPrefix, value: /v2}}, {headers: [{name: version, value: two}]}]
                backendRefs: [{name: infra-backend-v2, port: 8080}]
            """, Parent("same-namespace")));
        await fixture.RoutesToAsync("/", V1);
        await fixture.RoutesToAsync("/example", V1);
        await fixture.RoutesToAsync("/", V1, headers: new Dictionary<string, string> { ["Version"] = "one" });
        await fixture.RoutesToAsync("/v2", V2);
        await fixture.RoutesToAsync("/v2/example", V2);
        await fixture.RoutesToAsync("/", V2, headers: new Dictionary<string, string> { ["Version"] = "two" });
        await fixture.RoutesToAsync("/v2/", V2);
        await fixture.RoutesToAsync("/v2example", V1);
        await fixture.RoutesToAsync("/foo/v2/example", V1);
    }

    [Fact]
    public async Task HTTPRouteObservedGenerationBump()
    {
        using var applied = new AppliedManifests(fixture, Route("observed-generation-bump", "  - backendRefs: [{name: infra-backend-v1, port: 8080}]", Parent("same-namespace")));
        await fixture.RouteConditionAsync(Infra, "observed-generation-bump", "same-namespace", Conditions.Accepted, "True");
        var route = fixture.Get<HttpRoute>(Infra, "observed-generation-bump")!;
        route.Spec.Rules![0].BackendRefs![0].Name = V2;
        route.Status = null;
        fixture.Api.Apply(route);
        await fixture.RouteConditionAsync(Infra, "observed-generation-bump", "same-namespace", Conditions.Accepted, "True");
        await fixture.RouteConditionAsync(Infra, "observed-generation-bump", "same-namespace", Conditions.ResolvedRefs, "True");
        Assert.Equal(route.Generation + 1, fixture.Get<HttpRoute>(Infra, "observed-generation-bump")!.Generation);
        await fixture.RoutesToAsync("/", V2);
    }

    [Fact]
    public async Task HTTPRouteNoBackendRefs()
    {
        using var applied = new AppliedManifests(fixture, Route("omitted-backendrefs", """
              - matches: [{path: {type: Exact, value: /omitted-no-forward}}]
              - matches: [{path: {type: Exact, value: /empty-no-forward}}]
                backendRefs: []
              - matches: [{path: {type: PathPrefix, value: /}}]
                backendRefs: [{name: infra-backend-v1, port: 8080}]
            """, Parent("same-namespace")));
        await fixture.RouteConditionAsync(Infra, "omitted-backendrefs", "same-namespace", Conditions.ResolvedRefs, "True");
        await fixture.RoutesToAsync("/forward", V1);
        await fixture.StatusIsAsync("/omitted-no-forward", 500);
        await fixture.StatusIsAsync("/empty-no-forward", 500);
    }

    [Fact]
    public async Task HTTPRoutePartiallyInvalidViaInvalidReferenceGrant()
    {
        using var applied = new AppliedManifests(fixture, """
            apiVersion: gateway.networking.k8s.io/v1beta1
            kind: ReferenceGrant
            metadata: {name: invalid-reference-grant, namespace: gateway-conformance-app-backend}
            spec:
              from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: gateway-conformance-infra}]
              to: [{group: "", kind: Service, name: app-backend-v1}]
            ---
            """ + "\n" + Route("invalid-reference-grant", """
              - matches: [{path: {type: PathPrefix, value: /v2}}]
                backendRefs: [{name: app-backend-v2, namespace: gateway-conformance-app-backend, port: 8080}]
              - backendRefs: [{name: app-backend-v1, namespace: gateway-conformance-app-backend, port: 8080}]
            """, Parent("same-namespace")));
        await fixture.RouteConditionAsync(Infra, "invalid-reference-grant", "same-namespace", Conditions.Accepted, "True");
        await fixture.RouteConditionAsync(Infra, "invalid-reference-grant", "same-namespace", Conditions.ResolvedRefs, "False", Conditions.Reasons.RefNotPermitted);
        await fixture.StatusIsAsync("/v2", 500);
        await fixture.RoutesToAsync("/", "app-backend-v1");
    }

    [Fact]
    public async Task HTTPRoutePathMatchOrder()
    {
        using var applied = new AppliedManifests(fixture, Route("path-matching-order", """
              - {matches: [{path: {type: Exact, value: /match}}], backendRefs: [{name: infra-backend-v1, port: 8080}]}
              - {matches: [{path: {type: Exact, value: /match/exact}}], backendRefs: [{name: infra-backend-v2, port: 8080}]}
              - {matches: [{path: {type: Exact, value: /match/exact/one}}], backendRefs: [{name: infra-backend-v3, port: 8080}]}
              - {matches: [{path: {type: PathPrefix, value: /match/}}], backendRefs: [{name: infra-backend-v3, port: 8080}]}
              - {matches: [{path: {type: PathPrefix, value: /match/prefix/}}], backendRefs: [{name: infra-backend-v1, port: 8080}]}
              - {matches: [{path: {type: PathPrefix, value: /match/prefix/one}}], backendRefs: [{name: infra-backend-v2, port: 8080}]}
            """, Parent("same-namespace")));
        await fixture.RoutesToAsync("/match/exact/one", V3);
        await fixture.RoutesToAsync("/match/exact", V2);
        await fixture.RoutesToAsync("/match", V1);
        await fixture.RoutesToAsync("/match/prefix/one/any", V2);
        await fixture.RoutesToAsync("/match/prefix/any", V1);
        await fixture.RoutesToAsync("/match/any", V3);
    }

    [Fact]
    public async Task HTTPRouteRedirectHostAndStatus()
    {
        using var applied = new AppliedManifests(fixture, Route("redirect-host-and-status", """
              - matches: [{path: {type: PathPrefix, value: /hostname-redirect}}]
                filters: [{type: RequestRedirect, requestRedirect: {hostname: example.org}}]
              - matches: [{path: {type: PathPrefix, value: /host-and-status}}]
                filters: [{type: RequestRedirect, requestRedirect: {statusCode: 301, hostname: example.org}}]
            """, Parent("same-namespace")));
        var found = await fixture.EventuallyAsync(() => fixture.HttpAsync("/hostname-redirect"), r => (int)r.Status == 302, "302 redirect");
        Assert.Equal("http://example.org/hostname-redirect", found.Location);
        found = await fixture.EventuallyAsync(() => fixture.HttpAsync("/host-and-status"), r => (int)r.Status == 301, "301 redirect");
        Assert.Equal("http://example.org/host-and-status", found.Location);
    }

    [Fact]
    public async Task HTTPRouteReferenceGrant()
    {
        var grant = fixture.Apply("""
            apiVersion: gateway.networking.k8s.io/v1beta1
            kind: ReferenceGrant
            metadata: {name: reference-grant, namespace: gateway-conformance-web-backend}
            spec:
              from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: gateway-conformance-infra}]
              to: [{group: "", kind: Service, name: web-backend}]
            """);
        using var applied = new AppliedManifests(fixture, Route("reference-grant", "  - backendRefs: [{name: web-backend, namespace: gateway-conformance-web-backend, port: 8080}]", Parent("same-namespace")));
        await fixture.RouteConditionAsync(Infra, "reference-grant", "same-namespace", Conditions.ResolvedRefs, "True");
        await fixture.RoutesToAsync("/", "web-backend");
        fixture.Delete(grant);
        await fixture.StatusIsAsync("/", 500);
        await fixture.RouteConditionAsync(Infra, "reference-grant", "same-namespace", Conditions.ResolvedRefs, "False", Conditions.Reasons.RefNotPermitted);
    }

    [Fact]
    public async Task HTTPRouteRequestHeaderModifier()
    {
        using var applied = new AppliedManifests(fixture, Route("request-header-modifier", """
              - matches: [{path: {type: PathPrefix, value: /set}}]
                filters: [{type: RequestHeaderModifier, requestHeaderModifier: {set: [{name: X-Header-Set, value: set-overwrites-values}]}}]
                backendRefs: [{name: infra-backend-v1, port: 8080}]
              - matches: [{path: {type: PathPrefix, value: /add}}]
                filters: [{type: RequestHeaderModifier, requestHeaderModifier: {add: [{name: X-Header-Add, value: add-appends-values}]}}]
                backendRefs: [{name: infra-backend-v1, port: 8080}]
              - matches: [{path: {type: PathPrefix, value: /remove}}]
                filters: [{type: RequestHeaderModifier, requestHeaderModifier: {remove: [X-Header-Remove]}}]
                backendRefs: [{name: infra-backend-v1, port: 8080}]
              - matches: [{path: {type: PathPrefix, value: /case-insensitivity}}]
                filters: [{type: RequestHeaderModifier, requestHeaderModifier: {set: [{name: X-Header-Set, value: header-set}], add: [{name: X-Header-Add, value: header-add}], remove: [X-Header-Remove]}}]
                backendRefs: [{name: infra-backend-v1, port: 8080}]
            """, Parent("same-namespace")));
        static Dictionary<string, string> H(params string[] kv) => kv.Chunk(2).ToDictionary(p => p[0], p => p[1]);
        // Accepted is written once the config holding the route serves, so no earlier route on "/" answers for it.
        await fixture.RouteConditionAsync(Infra, "request-header-modifier", "same-namespace", Conditions.Accepted, "True");
        var r = await fixture.EventuallyAsync(() => fixture.HttpAsync("/set", headers: H("Some-Other-Header", "val", "X-Header-Set", "some-other-value")), x => x.Backend == V1, "/set");
        Assert.Equal("set-overwrites-values", r.Echo!.Headers["x-header-set"]);
        Assert.Equal("val", r.Echo.Headers["some-other-header"]);
        r = await fixture.HttpAsync("/add", headers: H("X-Header-Add", "some-other-value"));
        Assert.Equal("some-other-value,add-appends-values", r.Echo!.Headers["x-header-add"].Replace(", ", ",", StringComparison.Ordinal));
        r = await fixture.HttpAsync("/add");
        Assert.Equal("add-appends-values", r.Echo!.Headers["x-header-add"]);
        r = await fixture.HttpAsync("/remove", headers: H("X-Header-Remove", "val"));
        Assert.False(r.Echo!.Headers.ContainsKey("x-header-remove"));
        r = await fixture.HttpAsync("/case-insensitivity", headers: H("x-header-set", "original-val-set", "x-header-add", "original-val-add", "x-header-remove", "original-val-remove"));
        Assert.Equal("header-set", r.Echo!.Headers["x-header-set"]);
        Assert.Equal("original-val-add,header-add", r.Echo.Headers["x-header-add"].Replace(", ", ",", StringComparison.Ordinal));
        Assert.False(r.Echo.Headers.ContainsKey("x-header-remove"));
    }

    [Fact]
    public async Task HTTPRouteServiceTypes()
    {
        var backends = new[] { "headless", "manual-endpointslices" };
        var v1Ports = fixture.Api.All<k8s.Models.V1EndpointSlice>("discovery.k8s.io", "endpointslices")
            .Where(s => s.Metadata.Labels["kubernetes.io/service-name"] == V1 && s.Ports[0].Name == "first-port").Select(s => s.Ports[0].Port!.Value).ToList();
        fixture.ApplyService(Infra, "headless", v1Ports, clusterIp: "None");
        fixture.ApplyService(Infra, "manual-endpointslices", v1Ports);
        using var applied = new AppliedManifests(fixture, Route("service-types", string.Join("\n", backends.Select(b =>
            $"  - {{matches: [{{path: {{type: Exact, value: /{b}}}}}], backendRefs: [{{name: {b}, port: 8080}}]}}")), Parent("same-namespace")));
        await fixture.RouteConditionAsync(Infra, "service-types", "same-namespace", Conditions.Accepted, "True");
        foreach (var backend in backends)
        {
            var response = await fixture.EventuallyAsync(() => fixture.HttpAsync("/" + backend), x => x.Status == System.Net.HttpStatusCode.OK, backend);
            Assert.Equal(V1, response.Backend);
        }
    }

    [Fact]
    public async Task HTTPRouteWeight()
    {
        using var applied = new AppliedManifests(fixture, Route("weighted-backends", """
              - backendRefs:
                - {name: infra-backend-v1, port: 8080, weight: 70}
                - {name: infra-backend-v2, port: 8080, weight: 30}
                - {name: infra-backend-v3, port: 8080, weight: 0}
            """, Parent("same-namespace")));
        await fixture.RouteConditionAsync(Infra, "weighted-backends", "same-namespace", Conditions.Accepted, "True");
        await fixture.EventuallyAsync(() => fixture.HttpAsync("/"), r => r.Status == System.Net.HttpStatusCode.OK, "weighted route serves");
        var counts = new Dictionary<string, int>();
        for (var i = 0; i < 500; i++)
        {
            var backend = (await fixture.HttpAsync("/")).Backend ?? "none";
            counts[backend] = counts.GetValueOrDefault(backend) + 1;
        }

        // 500 draws of a 70/30 split: outside 0.6-0.8 is more than 4.8 standard deviations away.
        Assert.InRange(counts.GetValueOrDefault(V1) / 500.0, 0.6, 0.8);
        Assert.InRange(counts.GetValueOrDefault(V2) / 500.0, 0.2, 0.4);
        Assert.Equal(0, counts.GetValueOrDefault(V3));
        Assert.Equal(500, counts.GetValueOrDefault(V1) + counts.GetValueOrDefault(V2));
    }
}
