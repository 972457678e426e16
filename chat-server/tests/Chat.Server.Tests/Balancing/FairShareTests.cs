using Chat.Server.Balancing;

namespace Chat.Server.Tests.Balancing;

public sealed class FairShareTests
{
    [Theory]
    [InlineData(200, new long[] { 200, 200, 0, 0 }, 100)] // after a scale-out: down to the fair share
    [InlineData(109, new long[] { 109, 100, 91, 100 }, 0)] // within the tolerance
    [InlineData(112, new long[] { 112, 96, 96, 96 }, 12)]  // above it: down to the fair share
    [InlineData(5, new long[] { 5, 0 }, 0)]                // a handful: not worth moving
    [InlineData(300, new long[] { 300 }, 0)]               // a single replica has nowhere to send clients
    public void Excess_is_what_lies_above_the_fair_share_once_past_the_tolerance(long own, long[] replicas, int expected) =>
        Assert.Equal(expected, FairShare.Excess(own, replicas, tolerance: 0.1, minExcess: 2));
}
