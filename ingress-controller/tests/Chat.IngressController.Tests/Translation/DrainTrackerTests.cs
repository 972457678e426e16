using Chat.IngressController.Proxy;
using Chat.IngressController.Translation;
using Chat.Proxy;
using Yarp.ReverseProxy.Configuration;

namespace Chat.IngressController.Tests.Translation;

/// <summary>When the controller must look again, with no change from the API server, because a drain time ends.</summary>
public sealed class DrainTrackerTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Without_a_draining_endpoint_there_is_nothing_to_wait_for()
    {
        Assert.Null(DrainTracker.NextExpiry(new Dictionary<string, DateTimeOffset>(), Result(Cluster("a", "30", draining: true)), Now));
        Assert.Null(DrainTracker.NextExpiry(Since("http://10.0.0.1:80", 5), Result(Cluster("a", "30", draining: false)), Now));
    }

    [Fact]
    public void The_next_expiry_is_the_soonest_drain_time_end_of_an_endpoint_still_draining()
    {
        var result = Result(Cluster("a", "30", draining: true), Cluster("b", "10", draining: true, address: "http://10.0.0.2:80"));
        var since = new Dictionary<string, DateTimeOffset>
        {
            ["http://10.0.0.1:80"] = Now.AddSeconds(-5),
            ["http://10.0.0.2:80"] = Now.AddSeconds(-1),
        };

        Assert.Equal(TimeSpan.FromSeconds(9) + TimeSpan.FromMilliseconds(50), DrainTracker.NextExpiry(since, result, Now));
        Assert.Equal(TimeSpan.FromMilliseconds(50), DrainTracker.NextExpiry(since, result, Now.AddMinutes(1)));
    }

    private static Dictionary<string, DateTimeOffset> Since(string address, int secondsAgo) => new() { [address] = Now.AddSeconds(-secondsAgo) };

    private static ClusterConfig Cluster(string id, string drainSeconds, bool draining, string address = "http://10.0.0.1:80") => new()
    {
        ClusterId = id,
        Metadata = new Dictionary<string, string> { [MetadataKeys.DrainTimeout] = drainSeconds },
        Destinations = new Dictionary<string, DestinationConfig>
        {
            ["d"] = new()
            {
                Address = address,
                Metadata = draining ? new Dictionary<string, string> { [ChatProxyMetadata.Draining] = "true" } : null,
            },
        },
    };

    private static TranslationResult Result(params ClusterConfig[] clusters) => new([], clusters, [], [], [], []);
}
