using Chat.Proxy.Configuration;
using Yarp.ReverseProxy.Configuration;

namespace Chat.Proxy.Tests;

/// <summary>A provider that hands unchanged configs back as the same instances pays nothing for them on a reload.</summary>
public sealed class ConfigReuseTests
{
    [Fact]
    public async Task The_filter_gives_the_same_instance_for_the_same_cluster_and_a_new_one_for_an_equal_copy()
    {
        var filter = new ChatProxyConfigFilter();
        var cluster = new ClusterConfig { ClusterId = "chat", Metadata = new Dictionary<string, string> { [ChatProxyMetadata.ReadTimeout] = "90" } };

        var first = await filter.ConfigureClusterAsync(cluster, CancellationToken.None);
        var again = await filter.ConfigureClusterAsync(cluster, CancellationToken.None);
        var copy = await filter.ConfigureClusterAsync(cluster with { }, CancellationToken.None);

        Assert.Same(first, again);
        Assert.NotSame(first, copy);
        Assert.Equal(first, copy);
    }

    [Fact]
    public void Cluster_settings_are_read_once_per_metadata_and_a_bad_value_is_refused_on_every_read_naming_its_cluster()
    {
        var metadata = new Dictionary<string, string> { [ChatProxyMetadata.ReadTimeout] = "90" };
        var first = ClusterSettings.From("a", metadata);

        Assert.Same(first, ClusterSettings.From("b", metadata));
        Assert.Equal(first, ClusterSettings.From("a", new Dictionary<string, string>(metadata)));
        Assert.Equal(TimeSpan.FromSeconds(90), first.ReadTimeout);

        var bad = new Dictionary<string, string> { [ChatProxyMetadata.ReadTimeout] = "soon" };
        Assert.Contains("Cluster 'a'", Assert.Throws<InvalidOperationException>(() => ClusterSettings.From("a", bad)).Message);
        Assert.Contains("Cluster 'b'", Assert.Throws<InvalidOperationException>(() => ClusterSettings.From("b", bad)).Message);
    }

    [Fact]
    public async Task The_validator_skips_accepted_instances_and_checks_refused_ones_every_time()
    {
        var inner = new CountingValidator();
        var validator = new CachingConfigValidator(inner);
        var good = new RouteConfig { RouteId = "good", ClusterId = "c", Match = new RouteMatch { Path = "/" } };
        var bad = new RouteConfig { RouteId = "bad", ClusterId = "c" };

        for (var i = 0; i < 3; i++)
        {
            Assert.Empty(await validator.ValidateRouteAsync(good));
            Assert.NotEmpty(await validator.ValidateRouteAsync(bad));
        }

        Assert.Empty(await validator.ValidateRouteAsync(good with { }));
        Assert.Equal(1 + 3 + 1, inner.Routes);
    }

    private sealed class CountingValidator : IConfigValidator
    {
        public int Routes { get; private set; }

        public ValueTask<IList<Exception>> ValidateRouteAsync(RouteConfig route)
        {
            Routes++;
            return ValueTask.FromResult<IList<Exception>>(route.Match is null ? [new ArgumentException("no match")] : []);
        }

        public ValueTask<IList<Exception>> ValidateClusterAsync(ClusterConfig cluster) => ValueTask.FromResult<IList<Exception>>([]);
    }
}
