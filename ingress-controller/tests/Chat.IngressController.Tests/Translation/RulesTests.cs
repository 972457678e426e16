using Chat.IngressController.Translation;
using static Chat.IngressController.Tests.Translation.TranslationFixture;

namespace Chat.IngressController.Tests.Translation;

public sealed class RulesTests
{
    [Theory]
    [InlineData("Exact", "/api", "/api")]
    [InlineData("Prefix", "/api", "/api/{**catch-all}")]
    [InlineData("Prefix", "/api/", "/api/{**catch-all}")]
    [InlineData("ImplementationSpecific", "/", "/{**catch-all}")]
    [InlineData("Prefix", "/a{b}", "/a{{b}}/{**catch-all}")]
    public void Path_types_become_route_templates(string pathType, string path, string template)
    {
        var route = Assert.Single(Translate(Backend() + "\n---\n" + Ingress("web", SimpleRule(path: path, pathType: pathType))).Routes);

        Assert.Equal(template, route.Match.Path);
    }

    [Fact]
    public void Exact_hosts_come_before_wildcards_before_any_host_and_longer_paths_and_exact_first()
    {
        var exactHost = RouteMatchBuilder.Order("a.example.com", "/", "Prefix");
        var wildcard = RouteMatchBuilder.Order("*.example.com", "/", "Prefix");
        var anyHost = RouteMatchBuilder.Order(null, "/", "Prefix");
        var fallback = RouteMatchBuilder.Order(null, "/", RouteMatchBuilder.DefaultBackendPathType);
        Assert.True(exactHost < wildcard && wildcard < anyHost && anyHost < fallback);
        Assert.True(RouteMatchBuilder.Order("a", "/api/v1", "Prefix") < RouteMatchBuilder.Order("a", "/api", "Prefix"));
        Assert.True(RouteMatchBuilder.Order("a", "/api", "Exact") < RouteMatchBuilder.Order("a", "/api", "Prefix"));
    }

    [Fact]
    public void Exact_hosts_are_spread_over_distinct_orders_that_keep_every_precedence()
    {
        var hosts = Enumerable.Range(0, 1000).Select(i => $"h{i}.example.com").ToList();
        var orders = hosts.Select(h => RouteMatchBuilder.Order(h, "/", "Prefix")).ToList();

        // Distinct orders let the matcher skip comparing routes that no request could choose between.
        Assert.True(orders.Distinct().Count() > 950, $"{orders.Distinct().Count()} distinct orders among 1000 hosts");
        Assert.Equal(RouteMatchBuilder.Order("H1.Example.COM", "/", "Prefix"), RouteMatchBuilder.Order("h1.example.com", "/", "Prefix"));

        // Whatever a host's bucket: its own paths keep their precedence, and it stays ahead of every wildcard, which
        // stays ahead of any host; every Ingress route stays ahead of every Gateway API route.
        var longestPath = "/" + new string('a', 20_000);
        Assert.All(hosts, h =>
        {
            Assert.True(RouteMatchBuilder.Order(h, "/api/v1", "Prefix") < RouteMatchBuilder.Order(h, "/api", "Prefix"));
            Assert.True(RouteMatchBuilder.Order(h, "/api", "Exact") < RouteMatchBuilder.Order(h, "/api", "Prefix"));
            Assert.True(RouteMatchBuilder.Order(h, "/", "Prefix") < RouteMatchBuilder.Order("*.example.com", longestPath, "Exact"));
        });
        Assert.True(RouteMatchBuilder.Order("*.example.com", "/", "Prefix") < RouteMatchBuilder.Order(null, longestPath, "Exact"));
        Assert.True(RouteMatchBuilder.Order(null, "/", RouteMatchBuilder.DefaultBackendPathType) < Chat.IngressController.GatewayApi.Translation.GatewayTranslator.OrderBase);
    }

    [Fact]
    public void Several_rules_paths_and_a_default_backend()
    {
        var yaml = Backend("web") + "\n---\n" + Backend("api") + "\n---\n" + Ingress("site", """
              defaultBackend: { service: { name: web, port: { number: 80 } } }
              rules:
              - host: "*.example.com"
                http:
                  paths:
                  - { path: /api, pathType: Prefix, backend: { service: { name: api, port: { name: http } } } }
                  - { path: /, pathType: Prefix, backend: { service: { name: web, port: { number: 80 } } } }
              - http:
                  paths:
                  - { path: /health, pathType: Exact, backend: { service: { name: api, port: { number: 80 } } } }
            """);

        var result = Translate(yaml);

        Assert.Empty(result.Problems);
        Assert.Equal(4, result.Routes.Count);
        Assert.Equal(3, result.Clusters.Count); // api by name and by number are two backends, web one
        var fallback = result.Routes.Single(r => r.RouteId.EndsWith("/default", StringComparison.Ordinal));
        Assert.Null(fallback.Match.Hosts);
        Assert.Equal(result.Routes.Max(r => r.Order), fallback.Order);
        Assert.Equal(["*.example.com"], result.Routes.Single(r => r.Match.Path == "/api/{**catch-all}").Match.Hosts);
        Assert.All(result.Clusters, c => Assert.Single(c.Destinations!));
    }

    [Fact]
    public void A_broken_ingress_loses_only_its_own_rules()
    {
        var yaml = Backend() + "\n---\n"
            + Ingress("bad", SimpleRule(host: "bad.example.com", path: "/x?y")) + "\n---\n"
            + Ingress("missing", SimpleRule(host: "missing.example.com", service: "nope")) + "\n---\n"
            + Ingress("good", SimpleRule(host: "good.example.com"));

        var result = Translate(yaml);

        Assert.Contains(result.Routes, r => r.Match.Hosts![0] == "good.example.com");
        Assert.DoesNotContain(result.Routes, r => r.Match.Hosts![0] == "bad.example.com");
        Assert.Contains(result.Problems, p => p.Ingress.Metadata.Name == "bad" && p.Reason == "InvalidPath");
        // A missing Service still gets its route (503 until the Service exists), and a report.
        Assert.Contains(result.Problems, p => p.Ingress.Metadata.Name == "missing" && p.Reason == "BackendNotFound");
        Assert.Empty(result.Clusters.Single(c => c.ClusterId.StartsWith("default/missing/", StringComparison.Ordinal)).Destinations!);
    }

    [Fact]
    public void Conflicting_rules_go_to_the_oldest_ingress()
    {
        var yaml = Backend() + "\n---\n"
            + Ingress("newer", SimpleRule(), created: "2026-02-01T00:00:00Z") + "\n---\n"
            + Ingress("older", SimpleRule(), created: "2026-01-01T00:00:00Z");

        var result = Translate(yaml);

        Assert.StartsWith("default/older/", Assert.Single(result.Routes).RouteId, StringComparison.Ordinal);
        Assert.Equal("newer", Assert.Single(result.Problems, p => p.Reason == "RuleConflict").Ingress.Metadata.Name);
    }

    [Fact]
    public void Tls_hosts_bind_their_secret_and_redirect_plain_http()
    {
        var yaml = Backend() + "\n---\n" + """
            apiVersion: v1
            kind: Secret
            metadata: { name: example-tls, namespace: default }
            type: kubernetes.io/tls
            data: { tls.crt: Y2VydA==, tls.key: a2V5 }
            """ + "\n---\n" + Ingress("web", """
              tls:
              - hosts: [example.com]
                secretName: example-tls
              - hosts: [other.example.com]
                secretName: absent
              rules:
              - host: example.com
                http: { paths: [ { path: /, pathType: Prefix, backend: { service: { name: web, port: { number: 80 } } } } ] }
              - host: plain.example.com
                http: { paths: [ { path: /, pathType: Prefix, backend: { service: { name: web, port: { number: 80 } } } } ] }
            """);

        var result = Translate(yaml);

        var binding = Assert.Single(result.Tls);
        Assert.Equal(("example.com", "default/example-tls"), (binding.Host, binding.SecretKey));
        Assert.Equal("true", result.Routes.Single(r => r.Match.Hosts![0] == "example.com").Metadata![MetadataKeys.SslRedirect]);
        Assert.False(result.Routes.Single(r => r.Match.Hosts![0] == "plain.example.com").Metadata!.ContainsKey(MetadataKeys.SslRedirect));
        Assert.Equal("TlsSecretMissing", Assert.Single(result.Problems).Reason);
    }

    [Fact]
    public void Ssl_redirect_false_and_force_ssl_redirect()
    {
        var secret = """
            apiVersion: v1
            kind: Secret
            metadata: { name: tls, namespace: default }
            type: kubernetes.io/tls
            data: { tls.crt: Y2VydA==, tls.key: a2V5 }
            """;
        var tlsRule = """
              tls: [ { hosts: [example.com], secretName: tls } ]
            """ + "\n" + SimpleRule();
        var off = Translate(Backend() + "\n---\n" + secret + "\n---\n" + Ingress("web", tlsRule, """{ nginx.ingress.kubernetes.io/ssl-redirect: "false" }"""));
        var forced = Translate(Backend() + "\n---\n" + Ingress("web", SimpleRule(), """{ nginx.ingress.kubernetes.io/force-ssl-redirect: "true" }"""));

        Assert.False(Assert.Single(off.Routes).Metadata!.ContainsKey(MetadataKeys.SslRedirect));
        Assert.Equal("true", Assert.Single(forced.Routes).Metadata![MetadataKeys.SslRedirect]);
    }
}
