namespace Chat.LoadTest.Clients;

/// <summary>
/// Delays between reconnect attempts, as the browser client does: at once after a rebalance close, then
/// 250 ms doubling to 5 s after failures, with jitter so a replica's clients do not return in one burst.
/// </summary>
public static class ReconnectBackoff
{
    /// <summary>A session that lasted this long was a success, however it ended.</summary>
    public static readonly TimeSpan StableSession = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The failure count after a session ended. A session the server ends soon without asking the client to move
    /// (it refuses work while Redis is away) counts as a failure, so reconnects back off instead of looping.
    /// </summary>
    public static int FailuresAfterSession(int failures, bool rebalance, TimeSpan lasted) =>
        rebalance || lasted >= StableSession ? 0 : failures + 1;

    public static TimeSpan Delay(int failedAttempts)
    {
        var jitter = Random.Shared.Next(0, 200);
        if (failedAttempts == 0)
        {
            return TimeSpan.FromMilliseconds(jitter);
        }

        var exponent = Math.Min(failedAttempts - 1, 5);
        return TimeSpan.FromMilliseconds(Math.Min(5000, 250 * (1 << exponent)) + jitter);
    }
}
