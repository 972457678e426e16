using Chat.IngressController.Translation;
using Chat.Proxy;
using static Chat.IngressController.Tests.Translation.TranslationFixture;

namespace Chat.IngressController.Tests.Translation;

public sealed class AnnotationTests
{
    private static TranslationResult WithAnnotations(string annotations) =>
        Translate(Backend() + "\n---\n" + Ingress("web", SimpleRule(), annotations));

    [Fact]
    public void Defaults_are_ingress_nginx_ones_with_least_connections_for_websockets()
    {
        var result = WithAnnotations("{}");

        var cluster = Assert.Single(result.Clusters);
        Assert.Equal("60", cluster.Metadata![ChatProxyMetadata.ReadTimeout]);
        Assert.Equal("60", cluster.Metadata[ChatProxyMetadata.SendTimeout]);
        Assert.Equal("5", cluster.Metadata[ChatProxyMetadata.ConnectTimeout]);
        Assert.Equal(ChatProxyMetadata.LeastConnections, cluster.Metadata[ChatProxyMetadata.LoadBalance]);
        Assert.Equal(ChatProxyMetadata.RoundRobin, cluster.Metadata[ChatProxyMetadata.RequestLoadBalance]);
        Assert.Null(cluster.SessionAffinity);
        Assert.Equal((1024 * 1024).ToString(), Assert.Single(result.Routes).Metadata![MetadataKeys.MaxBodySize]);
        Assert.Empty(result.Problems);
    }

    [Theory]
    [InlineData("round_robin", ChatProxyMetadata.RoundRobin, ChatProxyMetadata.RoundRobin)]
    [InlineData("least_conn", ChatProxyMetadata.LeastConnections, ChatProxyMetadata.LeastRequests)]
    [InlineData("ewma", ChatProxyMetadata.PowerOfTwoChoices, ChatProxyMetadata.PowerOfTwoChoices)]
    public void Load_balance_sets_both_kinds(string value, string webSocketPolicy, string httpPolicy)
    {
        var cluster = Assert.Single(WithAnnotations($$"""{ nginx.ingress.kubernetes.io/load-balance: "{{value}}" }""").Clusters);

        Assert.Equal(webSocketPolicy, cluster.Metadata![ChatProxyMetadata.LoadBalance]);
        Assert.Equal(httpPolicy, cluster.Metadata[ChatProxyMetadata.RequestLoadBalance]);
    }

    [Fact]
    public void Own_annotations_choose_websocket_and_http_balancing_separately()
    {
        var cluster = Assert.Single(WithAnnotations("""
            { nginx.ingress.kubernetes.io/load-balance: "round_robin", chat.io/websocket-load-balance: "least_conn", chat.io/http-load-balance: "ewma" }
            """).Clusters);

        Assert.Equal(ChatProxyMetadata.LeastConnections, cluster.Metadata![ChatProxyMetadata.LoadBalance]);
        Assert.Equal(ChatProxyMetadata.PowerOfTwoChoices, cluster.Metadata[ChatProxyMetadata.RequestLoadBalance]);
    }

    [Fact]
    public void Timeouts_connect_timeout_and_drain_timeout_are_seconds()
    {
        var cluster = Assert.Single(WithAnnotations("""
            { nginx.ingress.kubernetes.io/proxy-read-timeout: "3600", nginx.ingress.kubernetes.io/proxy-send-timeout: "120s",
              nginx.ingress.kubernetes.io/proxy-connect-timeout: "2", chat.io/drain-timeout: "45", chat.io/readiness-path: /readyz }
            """).Clusters);

        Assert.Equal("3600", cluster.Metadata![ChatProxyMetadata.ReadTimeout]);
        Assert.Equal("120", cluster.Metadata[ChatProxyMetadata.SendTimeout]);
        Assert.Equal("2", cluster.Metadata[ChatProxyMetadata.ConnectTimeout]);
        Assert.Equal("45", cluster.Metadata[MetadataKeys.DrainTimeout]);
        Assert.Equal("/readyz", cluster.Metadata[ChatProxyMetadata.ReadinessPath]);
    }

    [Fact]
    public void Affinity_cookie_uses_the_session_cookie_name()
    {
        var cluster = Assert.Single(WithAnnotations("""
            { nginx.ingress.kubernetes.io/affinity: cookie, nginx.ingress.kubernetes.io/session-cookie-name: route,
              nginx.ingress.kubernetes.io/session-cookie-max-age: "3600" }
            """).Clusters);

        Assert.True(cluster.SessionAffinity!.Enabled);
        Assert.Equal("route", cluster.SessionAffinity.AffinityKeyName);
        Assert.Equal("HashCookie", cluster.SessionAffinity.Policy);
        Assert.Equal(TimeSpan.FromHours(1), cluster.SessionAffinity.Cookie!.MaxAge);
    }

    [Theory]
    [InlineData("8m", 8L * 1024 * 1024)]
    [InlineData("512k", 512L * 1024)]
    [InlineData("0", 0L)]
    [InlineData("1000", 1000L)]
    public void Proxy_body_size_takes_nginx_sizes(string value, long bytes)
    {
        var route = Assert.Single(WithAnnotations($$"""{ nginx.ingress.kubernetes.io/proxy-body-size: "{{value}}" }""").Routes);

        Assert.Equal(bytes.ToString(), route.Metadata![MetadataKeys.MaxBodySize]);
    }

    [Theory]
    [InlineData("whitelist-source-range")]
    [InlineData("allowlist-source-range")]
    public void Source_ranges_are_kept_as_cidrs(string annotation)
    {
        var route = Assert.Single(WithAnnotations($$"""{ nginx.ingress.kubernetes.io/{{annotation}}: "10.0.0.0/8, 192.168.1.7" }""").Routes);

        Assert.Equal("10.0.0.0/8,192.168.1.7/32", route.Metadata![MetadataKeys.AllowSourceRanges]);
        Assert.False(route.Metadata.ContainsKey(MetadataKeys.DenyAll));
    }

    [Fact]
    public void An_unparsable_source_range_denies_everyone_and_is_reported()
    {
        var result = WithAnnotations("""{ nginx.ingress.kubernetes.io/whitelist-source-range: "10.0.0.0/8, not-an-ip" }""");

        Assert.Equal("true", Assert.Single(result.Routes).Metadata![MetadataKeys.DenyAll]);
        Assert.Contains(result.Problems, p => p.Reason == "InvalidAnnotation" && p.Message.Contains("not-an-ip", StringComparison.Ordinal));
    }

    [Fact]
    public void Invalid_values_are_reported_and_the_ingress_keeps_serving_with_defaults()
    {
        var result = WithAnnotations("""
            { nginx.ingress.kubernetes.io/proxy-read-timeout: "soon", nginx.ingress.kubernetes.io/load-balance: "random",
              nginx.ingress.kubernetes.io/proxy-body-size: "big", nginx.ingress.kubernetes.io/proxy-send-timeout: "0",
              nginx.ingress.kubernetes.io/affinity: "header", nginx.ingress.kubernetes.io/ssl-redirect: "maybe" }
            """);

        Assert.Single(result.Routes);
        var cluster = Assert.Single(result.Clusters);
        Assert.Equal("60", cluster.Metadata![ChatProxyMetadata.ReadTimeout]);
        Assert.Equal("60", cluster.Metadata[ChatProxyMetadata.SendTimeout]);
        Assert.Null(cluster.SessionAffinity);
        Assert.Equal(6, result.Problems.Count(p => p.Reason == "InvalidAnnotation"));
        Assert.All(result.Problems, p => Assert.Equal("web", p.Ingress.Metadata.Name));
    }

    [Fact]
    public void Unsupported_nginx_annotations_are_reported_as_ignored()
    {
        var result = WithAnnotations("""{ nginx.ingress.kubernetes.io/rewrite-target: "/$2", other.io/anything: "x" }""");

        var problem = Assert.Single(result.Problems);
        Assert.Contains("rewrite-target", problem.Message, StringComparison.Ordinal);
        Assert.Single(result.Routes);
    }
}
