using Chat.Server.Balancing;

namespace Chat.Server.Tests.Balancing;

public sealed class RebalanceBackoffTests
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    [Fact]
    public void Rounds_whose_closed_clients_came_back_wait_twice_as_long_each_time_up_to_the_maximum()
    {
        var backoff = new RebalanceBackoff(Second, 4 * Second);

        Assert.True(backoff.RoundCompleted(before: 60, after: 59, closed: 20));
        Assert.Equal(Second, backoff.Delay);
        Assert.False(backoff.RoundCompleted(before: 60, after: 55, closed: 20));
        Assert.Equal(2 * Second, backoff.Delay);
        backoff.RoundCompleted(before: 60, after: 60, closed: 20);
        backoff.RoundCompleted(before: 60, after: 60, closed: 20);
        Assert.Equal(4 * Second, backoff.Delay);
    }

    [Fact]
    public void Clients_coming_back_after_the_settle_time_count_as_coming_back()
    {
        var backoff = new RebalanceBackoff(Second, 4 * Second);

        Assert.False(backoff.RoundCompleted(before: 60, after: 40, closed: 20));
        Assert.True(backoff.RoundCompleted(before: 60, after: 40, closed: 20));
        Assert.Equal(Second, backoff.Delay);
    }

    [Fact]
    public void A_round_that_moves_clients_or_a_replica_within_its_fair_share_ends_the_backoff()
    {
        var backoff = new RebalanceBackoff(Second, 4 * Second);
        backoff.RoundCompleted(before: 60, after: 60, closed: 20);

        Assert.True(backoff.RoundCompleted(before: 50, after: 30, closed: 20));
        Assert.Equal(TimeSpan.Zero, backoff.Delay);
        Assert.False(backoff.RoundCompleted(before: 30, after: 20, closed: 10));

        backoff.RoundCompleted(before: 30, after: 30, closed: 10);
        Assert.True(backoff.Reset());
        Assert.Equal(TimeSpan.Zero, backoff.Delay);
        Assert.False(backoff.RoundCompleted(before: 40, after: 30, closed: 10));
    }
}
