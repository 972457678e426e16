using Chat.IngressController.GatewayApi.Models;
using static Chat.IngressController.Tests.Ingress2Gateway.Converter;

namespace Chat.IngressController.Tests.Ingress2Gateway;

/// <summary>Each annotation the controller honours, as the ConnectionPolicy (or the routes) the converter writes; what cannot be said is a warning.</summary>
public sealed class AnnotationConversionTests
{
    [Theory]
    [InlineData("least_conn", "LeastConnections", "LeastRequests")]
    [InlineData("round_robin", "RoundRobin", "RoundRobin")]
    [InlineData("ewma", "PowerOfTwoChoices", "PowerOfTwoChoices")]
    public async Task Load_balance_sets_connection_and_request_balancing(string value, string connections, string requests)
    {
        var policy = await PolicyAsync($$"""{nginx.ingress.kubernetes.io/load-balance: {{value}}}""");

        Assert.Equal((connections, requests), (policy.Balancing, policy.RequestBalancing));
    }

    [Fact]
    public async Task The_chat_balancing_annotations_override_load_balance_per_kind_of_traffic()
    {
        var policy = await PolicyAsync("""{nginx.ingress.kubernetes.io/load-balance: round_robin, chat.io/websocket-load-balance: least_conn, chat.io/http-load-balance: ewma}""");

        Assert.Equal(("LeastConnections", "PowerOfTwoChoices"), (policy.Balancing, policy.RequestBalancing));
    }

    [Fact]
    public async Task Without_annotations_upgrades_keep_least_connections_and_nothing_else_is_set()
    {
        var policy = await PolicyAsync("{}");

        Assert.Equal("LeastConnections", policy.Balancing);
        Assert.Equal(["web"], policy.TargetRefs.Select(t => t.Name));
        Assert.Null(policy.RequestBalancing);
        Assert.Null(policy.IdleTimeout);
        Assert.Null(policy.UpstreamKeepAlive);
        Assert.Null(policy.DrainTimeout);
        Assert.Null(policy.ReadinessPath);
        Assert.Null(policy.ConnectTimeout);
    }

    [Fact]
    public async Task Proxy_read_and_send_timeouts_are_idle_timeouts_in_nginx_units()
    {
        var converted = await ConvertAsync(Ingress("""{nginx.ingress.kubernetes.io/proxy-read-timeout: "3600", nginx.ingress.kubernetes.io/proxy-send-timeout: 2m}"""));

        var policy = converted.Single<ConnectionPolicy>().Spec;
        Assert.Equal(("3600s", "120s"), (policy.IdleTimeout?.Read, policy.IdleTimeout?.Send));
        Assert.All(converted.All<HttpRoute>().SelectMany(r => r.Spec.Rules!), r => Assert.Null(r.Timeouts));
    }

    [Fact]
    public async Task Connect_timeout_keep_alive_readiness_and_drain_go_to_the_policy()
    {
        var policy = await PolicyAsync("""{nginx.ingress.kubernetes.io/proxy-connect-timeout: "10", nginx.ingress.kubernetes.io/upstream-keepalive-timeout: "30", """
            + """nginx.ingress.kubernetes.io/upstream-keepalive-connections: "16", chat.io/readiness-path: /readyz, chat.io/drain-timeout: 1500ms}""");

        Assert.Equal("10s", policy.ConnectTimeout);
        Assert.Equal(("30s", 16), (policy.UpstreamKeepAlive?.IdleTimeout, policy.UpstreamKeepAlive?.MaxConnections));
        Assert.Equal("/readyz", policy.ReadinessPath);
        Assert.Equal("1500ms", policy.DrainTimeout);
    }

    [Theory]
    [InlineData("nginx.ingress.kubernetes.io/affinity: cookie", "nginx.ingress.kubernetes.io/affinity")]
    [InlineData("nginx.ingress.kubernetes.io/session-cookie-name: route", "nginx.ingress.kubernetes.io/session-cookie-name")]
    [InlineData("nginx.ingress.kubernetes.io/proxy-body-size: 8m", "nginx.ingress.kubernetes.io/proxy-body-size")]
    [InlineData("nginx.ingress.kubernetes.io/whitelist-source-range: 10.0.0.0/8", "nginx.ingress.kubernetes.io/whitelist-source-range")]
    [InlineData("nginx.ingress.kubernetes.io/allowlist-source-range: 10.0.0.0/8", "nginx.ingress.kubernetes.io/allowlist-source-range")]
    [InlineData("nginx.ingress.kubernetes.io/rewrite-target: /", "nginx.ingress.kubernetes.io/rewrite-target")]
    [InlineData("chat.io/unknown: x", "chat.io/unknown")]
    public async Task An_annotation_that_cannot_be_expressed_is_a_warning_naming_it_and_the_rest_converts(string annotation, string name)
    {
        var converted = await ConvertAsync(Ingress($"{{{annotation}, nginx.ingress.kubernetes.io/proxy-read-timeout: \"90\"}}"));

        Assert.Equal(0, converted.ExitCode);
        var warning = Assert.Single(converted.Errors);
        Assert.StartsWith("warning: Ingress shop/web: annotation " + name, warning, StringComparison.Ordinal);
        Assert.Equal("90s", converted.Single<ConnectionPolicy>().Spec.IdleTimeout?.Read);
        Assert.Single(converted.All<HttpRoute>());
    }

    [Fact]
    public async Task An_annotation_value_that_does_not_parse_is_a_warning_and_keeps_the_controllers_default()
    {
        var converted = await ConvertAsync(Ingress("""{nginx.ingress.kubernetes.io/proxy-read-timeout: soon}"""));

        Assert.Equal(0, converted.ExitCode);
        Assert.Contains("nginx.ingress.kubernetes.io/proxy-read-timeout: \"soon\" is not a number of seconds", Assert.Single(converted.Errors), StringComparison.Ordinal);
        Assert.Equal("60s", converted.Single<ConnectionPolicy>().Spec.IdleTimeout?.Read);
    }

    [Fact]
    public async Task Unrelated_annotations_are_left_alone()
    {
        var converted = await ConvertAsync(Ingress("""{kubernetes.io/description: shop, cert-manager.io/cluster-issuer: letsencrypt}"""));

        Assert.Empty(converted.Errors);
    }

    private static async Task<ConnectionPolicySpec> PolicyAsync(string annotations)
    {
        var converted = await ConvertAsync(Ingress(annotations));
        Assert.Equal(0, converted.ExitCode);
        return converted.Single<ConnectionPolicy>().Spec;
    }
}
