using Chat.IngressController.GatewayApi.Models;
using static Chat.IngressController.Tests.GatewayApi.ConformanceYaml;
using static Chat.IngressController.Tests.GatewayApi.GatewayFixture;

namespace Chat.IngressController.Tests.GatewayApi;

/// <summary>The conformance suite's Gateway and GatewayClass cases (Core), by their ShortName, against the controller in process.</summary>
[Collection(GatewayCollection.Name)]
public sealed class GatewayConformanceTests(GatewayFixture fixture)
{
    private static string AttachedTo(string gateway) => $"{{kind: Gateway, name: {gateway}, namespace: {Infra}}}";

    [Fact]
    public async Task GatewayClassObservedGenerationBump()
    {
        using var applied = new AppliedManifests(fixture, """
            apiVersion: gateway.networking.k8s.io/v1
            kind: GatewayClass
            metadata: {name: gatewayclass-observed-generation-bump}
            spec: {controllerName: chat.io/gateway-controller, description: old}
            """);
        Assert.True(await Chat.Testing.Eventually.TrueAsync(() => Accepted(fixture.Get<GatewayClass>("", "gatewayclass-observed-generation-bump")) == 1, TimeSpan.FromSeconds(15)));

        var changed = fixture.Get<GatewayClass>("", "gatewayclass-observed-generation-bump")!;
        changed.Spec.Description = "new";
        changed.Status = null;
        fixture.Api.Apply(changed);

        Assert.True(await Chat.Testing.Eventually.TrueAsync(() => Accepted(fixture.Get<GatewayClass>("", "gatewayclass-observed-generation-bump")) == 2, TimeSpan.FromSeconds(15)));
        var conditions = fixture.Get<GatewayClass>("", "gatewayclass-observed-generation-bump")!.Status!.Conditions!;
        Assert.Contains(conditions, c => c.Type == Conditions.SupportedVersion && c.Status == "True");

        static long? Accepted(GatewayClass? c) => c?.Status?.Conditions?.FirstOrDefault(x => x.Type == Conditions.Accepted && x.Status == "True")?.ObservedGeneration;
    }

    [Fact]
    public async Task GatewayObservedGenerationBump()
    {
        using var applied = new AppliedManifests(fixture, """
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata: {name: gateway-observed-generation-bump, namespace: gateway-conformance-infra}
            spec:
              gatewayClassName: chat
              listeners:
              - {name: http, hostname: bar.com, port: 80, protocol: HTTP, allowedRoutes: {namespaces: {from: All}}}
            """);
        var before = await fixture.GatewayConditionAsync(Infra, "gateway-observed-generation-bump", Conditions.Accepted, "True");
        before.Spec.Listeners.Add(new Listener { Name = "alternate", Hostname = "foo.com", Port = 80, Protocol = "HTTP" });
        before.Status = null;
        fixture.Api.Apply(before);

        var after = await fixture.ListenerAsync(Infra, "gateway-observed-generation-bump", "alternate", Conditions.Accepted, "True");
        Assert.Equal(0, after.AttachedRoutes);
        Assert.NotEqual(before.Generation, fixture.Get<Gateway>(Infra, "gateway-observed-generation-bump")!.Generation);
    }

    [Fact]
    public async Task GatewayListenerUnsupportedProtocol()
    {
        using var applied = new AppliedManifests(fixture, """
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata: {name: gateway-only-unsupported-protocols, namespace: gateway-conformance-infra}
            spec:
              gatewayClassName: chat
              listeners: [{name: invalid, port: 1111, protocol: INVALID}]
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata: {name: gateway-supported-and-unsupported-protocols, namespace: gateway-conformance-infra}
            spec:
              gatewayClassName: chat
              listeners: [{name: http, port: 80, protocol: HTTP, hostname: protocols.example.com}, {name: invalid, port: 1111, protocol: INVALID}]
            """);
        await fixture.GatewayConditionAsync(Infra, "gateway-only-unsupported-protocols", Conditions.Accepted, "False", Conditions.Reasons.ListenersNotValid);
        var only = await fixture.ListenerAsync(Infra, "gateway-only-unsupported-protocols", "invalid", Conditions.Accepted, "False", Conditions.Reasons.UnsupportedProtocol, 0);
        Assert.Empty(only.SupportedKinds);

        await fixture.GatewayConditionAsync(Infra, "gateway-supported-and-unsupported-protocols", Conditions.Accepted, "True", Conditions.Reasons.ListenersNotValid);
        var http = await fixture.ListenerAsync(Infra, "gateway-supported-and-unsupported-protocols", "http", Conditions.Accepted, "True", Conditions.Reasons.Accepted, 0);
        Assert.Contains(http.SupportedKinds, k => k.Kind == "HTTPRoute" && k.Group == GatewayApiNames.Group);
        await fixture.ListenerAsync(Infra, "gateway-supported-and-unsupported-protocols", "invalid", Conditions.Accepted, "False", Conditions.Reasons.UnsupportedProtocol, 0);
    }

    [Fact]
    public async Task GatewayInvalidParametersRef()
    {
        using var applied = new AppliedManifests(fixture, """
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata: {name: gateway-invalid-parameters-ref, namespace: gateway-conformance-infra}
            spec:
              gatewayClassName: chat
              listeners: [{name: http, port: 80, protocol: HTTP, hostname: parameters.example.com}]
              infrastructure:
                parametersRef: {group: invalid.io, kind: InvalidParameters, name: invalid}
            """);
        await fixture.GatewayConditionAsync(Infra, "gateway-invalid-parameters-ref", Conditions.Accepted, "False", Conditions.Reasons.InvalidParameters);
    }

    [Fact]
    public async Task GatewayInvalidRouteKind()
    {
        using var applied = new AppliedManifests(fixture, """
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata: {name: gateway-only-invalid-route-kind, namespace: gateway-conformance-infra}
            spec:
              gatewayClassName: chat
              listeners:
              - {name: http, port: 80, protocol: HTTP, hostname: kinds1.example.com, allowedRoutes: {namespaces: {from: All}, kinds: [{kind: InvalidRoute}]}}
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata: {name: gateway-supported-and-invalid-route-kind, namespace: gateway-conformance-infra}
            spec:
              gatewayClassName: chat
              listeners:
              - {name: http, port: 80, protocol: HTTP, hostname: kinds2.example.com, allowedRoutes: {namespaces: {from: All}, kinds: [{kind: InvalidRoute}, {kind: HTTPRoute}]}}
            """);
        var none = await fixture.ListenerAsync(Infra, "gateway-only-invalid-route-kind", "http", Conditions.ResolvedRefs, "False", Conditions.Reasons.InvalidRouteKinds, 0);
        Assert.Empty(none.SupportedKinds);
        var some = await fixture.ListenerAsync(Infra, "gateway-supported-and-invalid-route-kind", "http", Conditions.ResolvedRefs, "False", Conditions.Reasons.InvalidRouteKinds, 0);
        Assert.Equal(["HTTPRoute"], some.SupportedKinds.Select(k => k.Kind));
    }

    [Fact]
    public async Task GatewayInvalidTLSConfiguration()
    {
        fixture.Api.Apply(new k8s.Models.V1Secret
        {
            Metadata = new k8s.Models.V1ObjectMeta { Name = "malformed-certificate", NamespaceProperty = Infra },
            Type = "kubernetes.io/tls",
            Data = new Dictionary<string, byte[]> { ["tls.crt"] = "Hello world\n"u8.ToArray(), ["tls.key"] = "Hello world\n"u8.ToArray() },
        });
        using var applied = new AppliedManifests(fixture, string.Join("\n---\n", new[]
        {
            ("nonexistent-secret", "group: \"\", kind: Secret, name: nonexistent-certificate"),
            ("unsupported-group", "group: wrong.group.company.io, kind: Secret, name: tls-validity-checks-certificate"),
            ("unsupported-kind", "group: \"\", kind: WrongKind, name: tls-validity-checks-certificate"),
            ("malformed-secret", "group: \"\", kind: Secret, name: malformed-certificate"),
        }.Select(g => $$$"""
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata: {name: gateway-certificate-{{{g.Item1}}}, namespace: gateway-conformance-infra}
            spec:
              gatewayClassName: chat
              listeners:
              - {name: https, port: 443, protocol: HTTPS, hostname: {{{g.Item1}}}.example.com, allowedRoutes: {namespaces: {from: All}}, tls: {certificateRefs: [{ {{{g.Item2}}} }]}}
            """)));
        foreach (var name in new[] { "nonexistent-secret", "unsupported-group", "unsupported-kind", "malformed-secret" })
        {
            var listener = await fixture.ListenerAsync(Infra, "gateway-certificate-" + name, "https", Conditions.ResolvedRefs, "False", Conditions.Reasons.InvalidCertificateRef, 0);
            Assert.Contains(listener.SupportedKinds, k => k.Kind == "HTTPRoute");
        }
    }

    [Fact]
    public async Task GatewayModifyListeners()
    {
        using var applied = new AppliedManifests(fixture, """
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata: {name: gateway-add-listener, namespace: gateway-conformance-infra}
            spec:
              gatewayClassName: chat
              listeners:
              - name: https
                port: 443
                protocol: HTTPS
                hostname: secure.test.com
                allowedRoutes: {namespaces: {from: All}}
                tls: {certificateRefs: [{group: "", kind: Secret, name: tls-validity-checks-certificate, namespace: gateway-conformance-infra}]}
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: http-route-1, namespace: gateway-conformance-infra}
            spec:
              parentRefs: [{kind: Gateway, name: gateway-add-listener, namespace: gateway-conformance-infra}]
              rules: [{backendRefs: [{name: infra-backend-v1, port: 8080}]}]
            """);
        var gateway = await fixture.GatewayConditionAsync(Infra, "gateway-add-listener", Conditions.Programmed, "True");
        await fixture.ListenerAsync(Infra, "gateway-add-listener", "https", Conditions.Accepted, "True", null, 1);
        gateway.Spec.Listeners.Add(new Listener
        {
            Name = "http", Port = 80, Protocol = "HTTP", Hostname = "data.test.com",
            AllowedRoutes = new AllowedRoutes { Namespaces = new RouteNamespaces { From = "All" } },
        });
        gateway.Status = null;
        fixture.Api.Apply(gateway);
        await fixture.ListenerAsync(Infra, "gateway-add-listener", "http", Conditions.ResolvedRefs, "True", null, 1);
        await fixture.ListenerAsync(Infra, "gateway-add-listener", "https", Conditions.ResolvedRefs, "True", null, 1);
        await fixture.RoutesToAsync("/", "infra-backend-v1", host: "data.test.com");

        // Removing the listener stops its traffic.
        gateway = fixture.Get<Gateway>(Infra, "gateway-add-listener")!;
        gateway.Spec.Listeners = gateway.Spec.Listeners.Where(l => l.Name == "https").ToList();
        gateway.Status = null;
        fixture.Api.Apply(gateway);
        await fixture.StatusIsAsync("/", 404, host: "data.test.com");
        Assert.True(await Chat.Testing.Eventually.TrueAsync(() => fixture.Get<Gateway>(Infra, "gateway-add-listener")!.Status?.Listeners?.Count == 1, TimeSpan.FromSeconds(15)));
    }

    [Fact]
    public async Task GatewaySecretInvalidReferenceGrant()
    {
        using var applied = new AppliedManifests(fixture, """
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata: {name: gateway-secret-invalid-reference-grant, namespace: gateway-conformance-infra}
            spec:
              gatewayClassName: chat
              listeners:
              - {name: https, port: 443, protocol: HTTPS, hostname: grant1.example.com, allowedRoutes: {namespaces: {from: All}},
                 tls: {certificateRefs: [{group: "", kind: Secret, name: certificate, namespace: gateway-conformance-web-backend}]}}
            ---
            apiVersion: gateway.networking.k8s.io/v1beta1
            kind: ReferenceGrant
            metadata: {name: reference-grant-wrong-namespace, namespace: gateway-conformance-app-backend}
            spec:
              from: [{group: gateway.networking.k8s.io, kind: Gateway, namespace: gateway-conformance-infra}]
              to: [{group: "", kind: Secret, name: certificate}]
            ---
            apiVersion: gateway.networking.k8s.io/v1beta1
            kind: ReferenceGrant
            metadata: {name: reference-grant-wrong-from-kind, namespace: gateway-conformance-web-backend}
            spec:
              from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: gateway-conformance-infra}]
              to: [{group: "", kind: Secret, name: certificate}]
            ---
            apiVersion: gateway.networking.k8s.io/v1beta1
            kind: ReferenceGrant
            metadata: {name: reference-grant-wrong-to-name, namespace: gateway-conformance-web-backend}
            spec:
              from: [{group: gateway.networking.k8s.io, kind: Gateway, namespace: gateway-conformance-infra}]
              to: [{group: "", kind: Secret, name: not-the-certificate-youre-looking-for}]
            """);
        await fixture.ListenerAsync(Infra, "gateway-secret-invalid-reference-grant", "https", Conditions.ResolvedRefs, "False", Conditions.Reasons.RefNotPermitted, 0);
    }

    [Fact]
    public async Task GatewaySecretMissingReferenceGrant()
    {
        using var applied = new AppliedManifests(fixture, """
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata: {name: gateway-secret-missing-reference-grant, namespace: gateway-conformance-infra}
            spec:
              gatewayClassName: chat
              listeners:
              - {name: https, port: 443, protocol: HTTPS, hostname: grant2.example.com, allowedRoutes: {namespaces: {from: All}},
                 tls: {certificateRefs: [{group: "", kind: Secret, name: certificate, namespace: gateway-conformance-web-backend}]}}
            """);
        await fixture.ListenerAsync(Infra, "gateway-secret-missing-reference-grant", "https", Conditions.ResolvedRefs, "False", Conditions.Reasons.RefNotPermitted, 0);
    }

    [Theory]
    [InlineData("GatewaySecretReferenceGrantAllInNamespace", "")]
    [InlineData("GatewaySecretReferenceGrantSpecific", "name: certificate")]
    public async Task GatewaySecretReferenceGrant(string shortName, string toName)
    {
        using var applied = new AppliedManifests(fixture, $$$"""
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata: {name: gateway-secret-reference-grant, namespace: gateway-conformance-infra}
            spec:
              gatewayClassName: chat
              listeners:
              - {name: https, port: 443, protocol: HTTPS, hostname: example.org, allowedRoutes: {namespaces: {from: All}},
                 tls: {certificateRefs: [{group: "", kind: Secret, name: certificate, namespace: gateway-conformance-web-backend}]}}
            ---
            apiVersion: gateway.networking.k8s.io/v1beta1
            kind: ReferenceGrant
            metadata: {name: reference-grant, namespace: gateway-conformance-web-backend}
            spec:
              from: [{group: gateway.networking.k8s.io, kind: Gateway, namespace: gateway-conformance-infra}]
              to: [{group: "", kind: Secret, {{{toName}}} }]
            """);
        Assert.NotEmpty(shortName);
        await fixture.ListenerAsync(Infra, "gateway-secret-reference-grant", "https", Conditions.Programmed, "True", Conditions.Reasons.Programmed, 0);
        await fixture.ListenerAsync(Infra, "gateway-secret-reference-grant", "https", Conditions.ResolvedRefs, "True");
    }

    [Fact]
    public async Task GatewayWithAttachedRoutes()
    {
        const string FromInfra = "namespaces: {from: Selector, selector: {matchLabels: {kubernetes.io/metadata.name: gateway-conformance-infra}}}";
        using var applied = new AppliedManifests(fixture, All(
            Gateway("gateway-with-one-attached-route",
                $"  - {{name: http, port: 80, protocol: HTTP, hostname: one.example.com, allowedRoutes: {{kinds: [{{kind: HTTPRoute}}], {FromInfra}}}}}"),
            Route("http-route-1", BackendRule("infra-backend-v1"), AttachedTo("gateway-with-one-attached-route")),
            Gateway("gateway-with-two-attached-routes",
                $"  - {{name: http, port: 80, protocol: HTTP, hostname: foo.example.com, allowedRoutes: {{kinds: [{{kind: HTTPRoute}}], {FromInfra}}}}}"),
            Route("http-route-2", BackendRule("infra-backend-v1"), AttachedTo("gateway-with-two-attached-routes")),
            Route("http-route-3", BackendRule("infra-backend-v1"), AttachedTo("gateway-with-two-attached-routes")),
            Route("http-route-not-accepted", BackendRule("infra-backend-v1"), AttachedTo("gateway-with-two-attached-routes"), extra: "  hostnames: [not-accepted.test.com]"),
            Gateway("unresolved-gateway-with-one-attached-unresolved-route", $$$"""
                  - {name: tls, port: 443, protocol: HTTPS, hostname: unresolved.example.com, allowedRoutes: {kinds: [{kind: HTTPRoute}], {{{FromInfra}}}},
                     tls: {mode: Terminate, certificateRefs: [{group: "", kind: Secret, name: does-not-exist}]}}
                """),
            Route("http-route-4", BackendRule("does-not-exist"),
                "{kind: Gateway, name: unresolved-gateway-with-one-attached-unresolved-route, namespace: gateway-conformance-infra, sectionName: tls}")));
        await fixture.ListenerAsync(Infra, "gateway-with-one-attached-route", "http", Conditions.Accepted, "True", null, 1);
        await fixture.ListenerAsync(Infra, "gateway-with-two-attached-routes", "http", Conditions.ResolvedRefs, "True", null, 2);
        await fixture.RouteConditionAsync(Infra, "http-route-not-accepted", "gateway-with-two-attached-routes", Conditions.Accepted, "False", Conditions.Reasons.NoMatchingListenerHostname);
        await fixture.ListenerAsync(Infra, "unresolved-gateway-with-one-attached-unresolved-route", "tls", Conditions.Programmed, "False", null, 1);
        await fixture.ListenerAsync(Infra, "unresolved-gateway-with-one-attached-unresolved-route", "tls", Conditions.ResolvedRefs, "False", null, 1);
        await fixture.RouteConditionAsync(Infra, "http-route-4", "unresolved-gateway-with-one-attached-unresolved-route", Conditions.ResolvedRefs, "False");
    }

    [Fact]
    public async Task GatewayNameMaximumLength()
    {
        var name = "gateway-name-maximum-length-" + new string('a', 253 - "gateway-name-maximum-length-".Length);
        using var applied = new AppliedManifests(fixture, $$"""
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata: {name: {{name}}, namespace: gateway-conformance-infra}
            spec:
              gatewayClassName: chat
              listeners: [{name: http, port: 80, protocol: HTTP}]
            """);

        var gateway = await fixture.GatewayConditionAsync(Infra, name, Conditions.Accepted, "True");
        Assert.All(gateway.Status!.Conditions!, c => Assert.Equal(gateway.Generation, c.ObservedGeneration));
    }

    [Fact]
    public async Task HTTPRouteDisallowedKind()
    {
        using var applied = new AppliedManifests(fixture, """
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata: {name: tlsroutes-only, namespace: gateway-conformance-infra}
            spec:
              gatewayClassName: chat
              listeners:
              - {name: tls, port: 443, protocol: TLS, tls: {mode: Passthrough}, allowedRoutes: {namespaces: {from: Same}, kinds: [{kind: TLSRoute}]}}
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: disallowed-kind, namespace: gateway-conformance-infra}
            spec:
              parentRefs: [{name: tlsroutes-only, namespace: gateway-conformance-infra}]
              rules: [{backendRefs: [{name: infra-backend-v1, port: 8080}]}]
            """);

        await fixture.RouteConditionAsync(Infra, "disallowed-kind", "tlsroutes-only", Conditions.ResolvedRefs, "True");
        await fixture.RouteConditionAsync(Infra, "disallowed-kind", "tlsroutes-only", Conditions.Accepted, "False", Conditions.Reasons.NotAllowedByListeners);
        await fixture.ListenerAsync(Infra, "tlsroutes-only", "tls", Conditions.Accepted, "False", null, 0);
    }
}
