namespace Chat.Server.Balancing;

/// <summary>
/// Whether rebalancing works. A round is futile when its closed clients came back: the count did not drop by at
/// least half of the closes within the settle time, or the next round starts with no fewer connections than the
/// previous one. Then the replicas below the fair share do not get new connections from the proxies (not in
/// their configuration yet, or taken out by their health checks), and closing the same clients again and again
/// only churns them: rebalancing waits before the next round, twice as long after each futile round up to
/// <c>max</c>. A round that works, or a replica back within its fair share, resets it.
/// </summary>
public sealed class RebalanceBackoff(TimeSpan initial, TimeSpan max)
{
    private int _futileRounds;
    private long? _previousRoundStart;

    /// <summary>Extra wait before the next round: zero while rounds work.</summary>
    public TimeSpan Delay => _futileRounds == 0
        ? TimeSpan.Zero
        : TimeSpan.FromTicks(Math.Min(max.Ticks, initial.Ticks << Math.Min(_futileRounds - 1, 30)));

    public bool BackingOff => _futileRounds > 0;

    /// <summary>
    /// Records a round that started with <paramref name="before"/> connections, closed <paramref name="closed"/> and
    /// had <paramref name="after"/> once settled; returns true when it changed whether rebalancing backs off.
    /// </summary>
    public bool RoundCompleted(long before, long after, int closed)
    {
        var wasBackingOff = BackingOff;
        var cameBack = before - after < Math.Max(1, closed / 2) || before >= _previousRoundStart;
        _futileRounds = cameBack ? _futileRounds + 1 : 0;
        _previousRoundStart = before;
        return wasBackingOff != BackingOff;
    }

    /// <summary>The replica is within its fair share: whatever happened before no longer matters.</summary>
    public bool Reset()
    {
        var wasBackingOff = BackingOff;
        _futileRounds = 0;
        _previousRoundStart = null;
        return wasBackingOff;
    }
}
