using Chat.LoadTest.Clients;
using Chat.LoadTest.Metrics;
using Chat.Testing;

namespace Chat.LoadTest.Tests;

/// <summary>How a load client reconnects: moves are not errors, sessions the server keeps ending back off.</summary>
public sealed class ReconnectTests
{
    [Theory]
    [InlineData(3, true, 0.1, 0)]   // asked to move: reconnect at once
    [InlineData(3, false, 6.0, 0)]  // a session that lasted: a fresh start
    [InlineData(0, false, 0.1, 1)]  // ended by the server at once: back off
    [InlineData(4, false, 0.1, 5)]
    public void A_session_the_server_ends_at_once_counts_as_a_failure(int before, bool rebalance, double seconds, int after) =>
        Assert.Equal(after, ReconnectBackoff.FailuresAfterSession(before, rebalance, TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void Repeated_failures_wait_longer_up_to_five_seconds()
    {
        Assert.True(ReconnectBackoff.Delay(0) < TimeSpan.FromMilliseconds(250));
        Assert.True(ReconnectBackoff.Delay(1) >= TimeSpan.FromMilliseconds(250));
        Assert.True(ReconnectBackoff.Delay(3) >= TimeSpan.FromSeconds(1));
        Assert.InRange(ReconnectBackoff.Delay(50), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5.2));
    }

    [Fact]
    public async Task A_move_before_the_session_began_is_a_move_and_a_reconnect_not_an_error()
    {
        var metrics = new LoadMetrics();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var client = new ScriptedClient(metrics, movesFirst: 1);
        client.Start(stop.Token);
        try
        {
            await client.FirstConnection.WaitAsync(stop.Token);

            Assert.True(await Eventually.TrueAsync(() => client.Replica == "r1", TimeSpan.FromSeconds(5)));
            Assert.Equal(2, client.Attempts);
            Assert.Equal((1L, 1L, 0L, 0L), (metrics.RebalanceCloses, metrics.Reconnects, metrics.ConnectFailures, metrics.ErrorCount));
        }
        finally
        {
            await stop.CancelAsync();
            await client.DisposeAsync();
        }
    }

    private sealed class ScriptedClient(LoadMetrics metrics, int movesFirst)
        : LoadClient(new ClientIdentity(0, "user-0", "room-0", ClientProtocol.Stomp), new OneEntry(), metrics)
    {
        public int Attempts { get; private set; }

        protected override Task<string> OpenAsync(Uri entry, RoomPosition? resumeFrom, Action<bool> lost, CancellationToken cancellationToken)
        {
            Attempts++;
            return Attempts <= movesFirst ? throw new MovedBeforeSessionException() : Task.FromResult("r1");
        }

        protected override Task<bool> SendAsync(string content, CancellationToken cancellationToken) => Task.FromResult(true);

        protected override ValueTask CloseAsync() => ValueTask.CompletedTask;
    }

    private sealed class OneEntry : IEntryPoints
    {
        public Uri Next() => new("http://127.0.0.1:1/");
    }
}
