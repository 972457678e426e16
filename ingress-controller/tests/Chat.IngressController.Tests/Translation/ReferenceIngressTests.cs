using Chat.IngressController.Translation;
using Chat.Proxy;
using static Chat.IngressController.Tests.Translation.TranslationFixture;

namespace Chat.IngressController.Tests.Translation;

/// <summary>The Ingress ingress-nginx users have today, class switched to this controller's.</summary>
public sealed class ReferenceIngressTests
{
    [Fact]
    public void Reference_ingress_becomes_one_route_for_homedev_and_one_cluster_with_its_settings()
    {
        var result = Translate(LoadFile("reference.yaml"));

        Assert.Empty(result.Problems);
        var route = Assert.Single(result.Routes);
        Assert.Equal(["homedev"], route.Match.Hosts);
        Assert.Equal("/{**catch-all}", route.Match.Path);
        var cluster = Assert.Single(result.Clusters);
        Assert.Equal(route.ClusterId, cluster.ClusterId);
        var metadata = cluster.Metadata!;
        Assert.Equal("1200", metadata[ChatProxyMetadata.ReadTimeout]);
        Assert.Equal("1200", metadata[ChatProxyMetadata.SendTimeout]);
        Assert.Equal("1200", metadata[ChatProxyMetadata.KeepAliveTimeout]);
        Assert.Equal("100", metadata[ChatProxyMetadata.KeepAliveConnections]);
        Assert.Equal(ChatProxyMetadata.LeastConnections, metadata[ChatProxyMetadata.LoadBalance]);
        Assert.Equal(ChatProxyMetadata.LeastRequests, metadata[ChatProxyMetadata.RequestLoadBalance]);
    }

    [Fact]
    public void Reference_endpoints_ready_ones_serve_serving_terminating_one_drains_the_rest_are_left_out()
    {
        var cluster = Assert.Single(Translate(LoadFile("reference.yaml")).Clusters);

        var destinations = cluster.Destinations!;
        Assert.Equal(["10.0.0.1:8080", "10.0.0.2:8080", "10.0.0.3:8080"], destinations.Keys.Order());
        Assert.Equal("http://10.0.0.1:8080", destinations["10.0.0.1:8080"].Address);
        Assert.Null(destinations["10.0.0.1:8080"].Metadata);
        Assert.Equal("true", destinations["10.0.0.3:8080"].Metadata![ChatProxyMetadata.Draining]);
    }

    [Fact]
    public void Reference_ingress_with_its_original_nginx_class_is_not_ours()
    {
        var yaml = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Translation", "Yaml", "reference.yaml"))
            .Replace("ingressClassName: chat", "ingressClassName: nginx", StringComparison.Ordinal);

        var result = Translate(yaml);

        Assert.Empty(result.Routes);
        Assert.Empty(result.OwnIngresses);
    }

    [Fact]
    public void Keepalive_settings_come_from_the_configmap_and_annotations_override_them()
    {
        var objects = Load(Backend() + "\n---\n" + Ingress("a", SimpleRule()) + "\n---\n"
            + Ingress("b", SimpleRule(host: "b.example.com"), """{ nginx.ingress.kubernetes.io/upstream-keepalive-timeout: "30" }"""));
        var configMap = new Dictionary<string, string>
        {
            ["upstream-keepalive-timeout"] = "900",
            ["upstream-keepalive-connections"] = "64",
            ["proxy-read-timeout"] = "300",
        };

        var result = Translate(objects, configMap);

        var a = result.Clusters.Single(c => c.ClusterId.StartsWith("default/a/", StringComparison.Ordinal)).Metadata!;
        var b = result.Clusters.Single(c => c.ClusterId.StartsWith("default/b/", StringComparison.Ordinal)).Metadata!;
        Assert.Equal("900", a[ChatProxyMetadata.KeepAliveTimeout]);
        Assert.Equal("64", a[ChatProxyMetadata.KeepAliveConnections]);
        Assert.Equal("300", a[ChatProxyMetadata.ReadTimeout]);
        Assert.Equal("30", b[ChatProxyMetadata.KeepAliveTimeout]);
        Assert.Equal("64", b[ChatProxyMetadata.KeepAliveConnections]);
    }
}
