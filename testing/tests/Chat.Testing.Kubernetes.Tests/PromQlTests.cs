using Chat.Testing.Kubernetes.Metrics;

namespace Chat.Testing.Kubernetes.Tests;

public sealed class PromQlTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Sum_adds_the_latest_sample_of_every_matching_series()
    {
        var store = new SeriesStore();
        Scrape(store, "a", T0, ("chat_connections_active", "websocket", "signalr", 30), ("chat_connections_active", "websocket", "stomp", 20));
        Scrape(store, "b", T0, ("chat_connections_active", "websocket", "signalr", 45), ("chat_connections_active", "http", "signalr", 99));

        var result = PromQl.Evaluate("sum(chat_connections_active{component=\"websocket\"})", store, T0 + TimeSpan.FromSeconds(5));

        Assert.Equal(95, Assert.Single(result).Value);
    }

    [Fact]
    public void No_series_is_an_empty_result_and_or_vector_0_makes_it_0()
    {
        var store = new SeriesStore();

        Assert.Empty(PromQl.Evaluate("sum(chat_connections_active{component=\"websocket\"})", store, T0));
        Assert.Equal(0, Assert.Single(PromQl.Evaluate("sum(chat_connections_active{component=\"websocket\"}) or vector(0)", store, T0)).Value);
    }

    [Fact]
    public void A_target_that_disappears_is_stale_at_once_not_after_the_lookback()
    {
        var store = new SeriesStore();
        Scrape(store, "a", T0, ("chat_connections_active", "websocket", "signalr", 30));
        Scrape(store, "b", T0, ("chat_connections_active", "websocket", "signalr", 40));
        store.MarkTargetStale("b", T0 + TimeSpan.FromSeconds(10));

        Assert.Equal(30, Assert.Single(PromQl.Evaluate("sum(chat_connections_active)", store, T0 + TimeSpan.FromSeconds(11))).Value);
        Assert.Equal(70, Assert.Single(PromQl.Evaluate("sum(chat_connections_active)", store, T0 + TimeSpan.FromSeconds(9))).Value);
    }

    [Fact]
    public void Rate_extrapolates_like_Prometheus_and_survives_a_counter_reset()
    {
        var store = new SeriesStore();
        // 10 per second, scraped every 10 s for a minute, reset to 0 half-way (a restart) and counting on.
        for (var i = 0; i <= 6; i++)
        {
            var value = i <= 3 ? i * 100.0 : (i - 3) * 100.0 - 50;
            Scrape(store, "a", T0 + TimeSpan.FromSeconds(i * 10), ("chat_messages_received_total", "websocket", null, value));
        }

        var rate = Assert.Single(PromQl.Evaluate("sum(rate(chat_messages_received_total{component=\"websocket\"}[1m]))", store, T0 + TimeSpan.FromSeconds(60))).Value;

        // Samples at 10..60 s in (0, 60]: increase 200 + 300 (before the reset) + 250 - 50... = 550 over 50 s, extrapolated to 60 s.
        Assert.InRange(rate, 9.0, 11.5);
    }

    [Fact]
    public void Sum_by_keeps_the_grouping_labels()
    {
        var store = new SeriesStore();
        Scrape(store, "a", T0, ("chat_connections_active", "websocket", "signalr", 30), ("chat_connections_active", "websocket", "stomp", 20));

        var result = PromQl.Evaluate("sum by (protocol) (chat_connections_active)", store, T0);

        Assert.Equal([("signalr", 30.0), ("stomp", 20.0)], result.Select(r => (r.Labels["protocol"], r.Value)).OrderBy(r => r.Item1));
    }

    [Theory]
    [InlineData("histogram_quantile(0.9, rate(x[1m]))")]
    [InlineData("sum(x) / 2")]
    public void A_query_outside_the_subset_is_refused_not_misread(string query)
    {
        Assert.Throws<FormatException>(() => PromQl.Validate(query));
    }

    private static void Scrape(SeriesStore store, string target, DateTimeOffset at, params (string Name, string Component, string? Protocol, double Value)[] samples)
    {
        var labels = samples.Select(s =>
        {
            var l = new Dictionary<string, string> { ["__name__"] = s.Name, ["component"] = s.Component, ["pod"] = target };
            if (s.Protocol is not null)
            {
                l["protocol"] = s.Protocol;
            }

            return (IReadOnlyDictionary<string, string>)l;
        }).ToList();
        store.Append(target, labels, samples.Select(s => s.Value), at);
    }
}
