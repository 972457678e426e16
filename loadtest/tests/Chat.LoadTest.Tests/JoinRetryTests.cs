using Chat.Testing;

namespace Chat.LoadTest.Tests;

/// <summary>Joins the server refuses for now (here its history-read rate limit) are asked again, and nothing is lost.</summary>
public sealed class JoinRetryTests
{
    [Fact]
    public async Task Clients_whose_join_was_refused_ask_again_and_receive_every_message()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var server = await ServiceProcess.StartAsync("chat-server", "Chat.Server", OneHostLimits.With(OneHostLimits.ChatServer, new Dictionary<string, string?>
        {
            ["ConnectionStrings:Redis"] = redis.ConnectionString,
            ["Chat:Limits:AddressHistoryReadsPerSecond"] = "1",
            ["Chat:Limits:AddressHistoryReadBurst"] = "2",
        }));

        var (exitCode, summary, output) = await ToolRun.RunAsync(
            "fanout", "--target", server.BaseAddress.ToString(), "--connections", "6", "--rooms", "1", "--connect-rate", "100",
            "--publish-rate", "2", "--duration", "15s", "--fail-on-loss");

        Assert.True(exitCode == 0, $"exit code {exitCode}:\n{output}");
        Assert.Contains(summary.Errors, e => e.Key.StartsWith("join refused, retried: Rate limit", StringComparison.Ordinal));
        Assert.DoesNotContain(summary.Errors, e => e.Key.StartsWith("join: ", StringComparison.Ordinal));
        Assert.Equal(6, summary.Connections.Final);
        Assert.True(summary.Messages.Confirmed > 0, output);
        Assert.Equal(summary.Messages.ExpectedDeliveries, summary.Messages.Delivered);
        Assert.Equal((0L, 0L, 0L), (summary.Messages.Lost, summary.Messages.Duplicates, summary.Messages.Gaps));
    }
}
