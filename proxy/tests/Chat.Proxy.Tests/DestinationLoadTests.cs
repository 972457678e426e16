using Chat.Proxy.Balancing;

namespace Chat.Proxy.Tests;

public sealed class DestinationLoadTests
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(1.5);
    private static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(10);

    [Fact]
    public void A_report_counts_plus_the_connections_sent_since_it()
    {
        var load = new DestinationLoad();
        load.Report(40, nowMs: 10_000);
        load.RecordAssignment(10_500);
        load.RecordAssignment(10_600);
        Assert.Equal(42, load.Estimate(10_700, Window, MaxAge));
    }

    [Fact]
    public void Assignments_older_than_the_window_before_the_report_are_in_the_report_already()
    {
        var load = new DestinationLoad();
        load.RecordAssignment(1_000);
        load.Report(1, nowMs: 5_000);
        Assert.Equal(1, load.Estimate(5_100, Window, MaxAge));
    }

    [Fact]
    public void Without_a_fresh_report_the_own_open_websockets_count()
    {
        var load = new DestinationLoad();
        load.Report(100, nowMs: 0);
        load.WebSocketOpened();
        load.WebSocketOpened();
        Assert.Equal(2, load.Estimate(60_000, Window, MaxAge));
    }
}
