using System.Net.WebSockets;
using Chat.LoadTest.Metrics;

namespace Chat.LoadTest.Tests;

public sealed class LoadMetricsTests
{
    [Fact]
    public void Errors_are_counted_by_kind_with_the_reason_the_server_gave()
    {
        var metrics = new LoadMetrics();
        for (var i = 0; i < 2; i++)
        {
            metrics.SendFailed(new InvalidOperationException(
                "An unexpected error occurred invoking 'Send' on the server. HubException: The chat store is unavailable, nothing was sent."));
        }

        metrics.ConnectFailed(new AggregateException(new WebSocketException("The server returned status code '502' when status code '101' was expected.\nmore")));

        Assert.Equal(2, metrics.Errors["send: HubException: The chat store is unavailable, nothing was sent."]);
        var connect = Assert.Single(metrics.Errors, e => e.Key.StartsWith("connect: WebSocketException: The server returned status code '502'", StringComparison.Ordinal));
        Assert.Equal((1, 80), (connect.Value, connect.Key.Length)); // the first line only, cut to 80 characters
        Assert.Equal(3, metrics.ErrorCount);
    }
}
