using Chat.IngressController.GatewayApi.Models;
using static Chat.IngressController.Tests.Ingress2Gateway.Converter;

namespace Chat.IngressController.Tests.Ingress2Gateway;

/// <summary>Hosts, paths, TLS and the default backend as listeners and HTTPRoutes.</summary>
public sealed class RulesConversionTests
{
    [Fact]
    public async Task Path_types_become_path_matches_and_paths_of_one_backend_share_a_rule()
    {
        var converted = await ConvertAsync(Ingress(spec: """
              rules:
              - host: a.example.com
                http:
                  paths:
                  - {path: /api, pathType: Exact, backend: {service: {name: api, port: {number: 8080}}}}
                  - {path: /v1, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
                  - {path: /, pathType: ImplementationSpecific, backend: {service: {name: web, port: {number: 80}}}}
            """));

        var route = converted.Single<HttpRoute>();
        Assert.Equal(["a.example.com"], route.Spec.Hostnames!);
        Assert.Equal(["Exact /api -> api:8080", "PathPrefix /v1 -> web:80", "PathPrefix / -> web:80"],
            route.Spec.Rules!.SelectMany(r => r.Matches!.Select(m => $"{m.Path!.Type} {m.Path.Value} -> {r.BackendRefs![0].Name}:{r.BackendRefs[0].Port}")));
        Assert.Equal(2, route.Spec.Rules!.Count);
        Assert.Equal(["api", "web"], converted.Single<ConnectionPolicy>().Spec.TargetRefs.Select(t => t.Name));
    }

    [Fact]
    public async Task Each_host_gets_a_listener_and_a_route_and_the_default_backend_serves_every_host_and_any_other()
    {
        var converted = await ConvertAsync(Ingress(spec: """
              defaultBackend: {service: {name: fallback, port: {number: 80}}}
              rules:
              - host: a.example.com
                http: {paths: [{path: /a, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}
              - host: "*.example.com"
                http: {paths: [{path: /b, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}
            """));

        var gateway = converted.Single<Gateway>();
        Assert.Equal(("chat", "shop", "chat"), (gateway.Name, gateway.Namespace, gateway.Spec.GatewayClassName));
        Assert.Equal(["a-example-com-http a.example.com:80", "wildcard-example-com-http *.example.com:80", "http *:80"],
            gateway.Spec.Listeners.Select(l => $"{l.Name} {l.Hostname ?? "*"}:{l.Port}"));
        var routes = converted.All<HttpRoute>().ToList();
        Assert.Equal(["web-a-example-com a.example.com", "web-wildcard-example-com *.example.com", "web-any *"],
            routes.Select(r => $"{r.Name} {string.Join(",", r.Spec.Hostnames ?? ["*"])}"));
        Assert.All(routes, r => Assert.Contains(r.Spec.Rules!, rule => rule.BackendRefs![0].Name == "fallback" && rule.Matches![0].Path!.Value == "/"));
    }

    [Fact]
    public async Task A_tls_host_gets_an_https_listener_with_its_secret_and_plain_http_redirects_to_it()
    {
        var converted = await ConvertAsync(Ingress(spec: """
              tls: [{hosts: [a.example.com], secretName: a-tls}]
              rules:
              - host: a.example.com
                http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}
            """));

        var https = Assert.Single(converted.Single<Gateway>().Spec.Listeners, l => l.Protocol == "HTTPS");
        Assert.Equal(("a.example.com", 443, "Terminate"), (https.Hostname, https.Port, https.Tls?.Mode));
        Assert.Equal(["Secret a-tls"], https.Tls!.CertificateRefs!.Select(c => $"{c.Kind} {c.Name}"));
        var routes = converted.All<HttpRoute>().ToDictionary(r => r.Name);
        Assert.Equal("a-example-com-https", routes["web"].Spec.ParentRefs![0].SectionName);
        Assert.Equal("a-example-com-http", routes["web-redirect"].Spec.ParentRefs![0].SectionName);
        var redirect = Assert.Single(Assert.Single(routes["web-redirect"].Spec.Rules!).Filters!).RequestRedirect!;
        Assert.Equal(("https", 301), (redirect.Scheme, redirect.StatusCode));
    }

    [Fact]
    public async Task Ssl_redirect_false_serves_the_tls_host_on_both_listeners()
    {
        var converted = await ConvertAsync(Ingress("{nginx.ingress.kubernetes.io/ssl-redirect: \"false\"}", """
              tls: [{hosts: [a.example.com], secretName: a-tls}]
              rules:
              - host: a.example.com
                http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}
            """));

        var route = converted.Single<HttpRoute>();
        Assert.Null(route.Spec.ParentRefs![0].SectionName);
        Assert.Equal(2, converted.Single<Gateway>().Spec.Listeners.Count);
    }

    [Fact]
    public async Task A_named_service_port_or_a_resource_backend_is_a_warning_and_its_path_is_left_out()
    {
        var converted = await ConvertAsync(Ingress(spec: """
              rules:
              - host: a.example.com
                http:
                  paths:
                  - {path: /named, pathType: Prefix, backend: {service: {name: web, port: {name: http}}}}
                  - {path: /bucket, pathType: Prefix, backend: {resource: {apiGroup: k8s.example.com, kind: Bucket, name: assets}}}
                  - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
            """));

        Assert.Equal(0, converted.ExitCode);
        Assert.Equal(2, converted.Errors.Count);
        Assert.Contains(converted.Errors, e => e.Contains("path \"/named\": service web port \"http\" is a name", StringComparison.Ordinal));
        Assert.Contains(converted.Errors, e => e.Contains("path \"/bucket\": resource backend Bucket assets is not converted", StringComparison.Ordinal));
        Assert.Equal(["/"], converted.Single<HttpRoute>().Spec.Rules!.SelectMany(r => r.Matches!).Select(m => m.Path!.Value));
    }
}
