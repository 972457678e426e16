namespace Chat.LoadTest.Clients;

/// <summary>
/// Delays between reconnect attempts, as the browser client does: at once after a rebalance close, then
/// 250 ms doubling to 5 s after failures, with jitter so a replica's clients do not return in one burst.
/// </summary>
public static class ReconnectBackoff
{
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
