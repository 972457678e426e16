using System.Text.RegularExpressions;
using Chat.LoadTest.Reports;
using Chat.LoadTest.Scenarios;

namespace Chat.LoadTest.Tests;

public sealed class HtmlReportTests
{
    [Fact]
    public void The_report_is_one_self_contained_file_with_a_chart_per_concern()
    {
        var html = HtmlReport.Render(Summary());

        Assert.DoesNotMatch(new Regex("<script|<link|src=|href=", RegexOptions.IgnoreCase), html);
        Assert.Equal(6, Regex.Matches(html, "<svg ").Count);
        Assert.Contains("Connections per replica", html);
        Assert.Contains("End-to-end latency distribution", html);
        Assert.Contains("chat-2", html);
        Assert.Contains("SIGKILL chat-1", html);
        Assert.Contains("no loss, no duplicates, no gaps", html);
    }

    private static RunSummary Summary()
    {
        var timeline = Enumerable.Range(0, 10).Select(i => new TimelineSample(i, "holding", 10,
            new Dictionary<string, int> { ["chat-1"] = i < 5 ? 5 : 0, ["chat-2"] = i < 5 ? 5 : 10 }, 10, 100, 1.5, 0, 0,
            new Dictionary<string, double> { ["chat-2"] = 120 })).ToArray();
        return new RunSummary("chaos", "local: redis-server :1", DateTimeOffset.UnixEpoch, 10, false,
            new SettingsSummary(10, 2, 5, 10, 1, 10, 0.5, 5, 5, 0, null),
            new ConnectionSummary(10, 10, 10, 15, 0, 5, 0, 5, 3, 9),
            [new ReplicaSummary("chat-1", 0, 5, 2.5, false, null), new ReplicaSummary("chat-2", 10, 10, 7.5, true, 120)],
            new BalanceSummary(1, 10, 10, 10, 1, 0),
            new MessageSummary(100, 100, 0, 0, 500, 500, 0, 0, 0, 100, 120, new Dictionary<string, ProtocolMessages>(), []),
            new LatencySummary(500, 1, 2, 3, 4, 5, 1.2, [new PercentilePoint(0, 0.5), new PercentilePoint(50, 1), new PercentilePoint(99, 3)]),
            new MemorySummary(10, 100, 120, 2048, 512, 80),
            new Dictionary<string, long>(),
            [new RunEvent(5, "kill", "SIGKILL chat-1")],
            timeline);
    }
}
