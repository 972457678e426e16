namespace Chat.Client;

/// <summary>
/// Delays between connection attempts: at once (with a little jitter) after a move or a session that lasted,
/// then exponential from the minimum to the maximum delay after failures, with jitter so that the clients of one
/// replica do not come back in one burst.
/// </summary>
internal static class ReconnectBackoff
{
    /// <summary>A session that lasted this long was a success, however it ended.</summary>
    public static readonly TimeSpan StableSession = TimeSpan.FromSeconds(5);

    private const int MaxJitterMilliseconds = 200;

    /// <summary>
    /// The failure count after a session ended. A session the server ends soon without asking the client to move
    /// (it refuses work while Redis is away) counts as a failure, so reconnects back off instead of looping.
    /// </summary>
    public static int FailuresAfterSession(int failures, bool moved, TimeSpan lasted) =>
        moved || lasted >= StableSession ? 0 : failures + 1;

    public static TimeSpan Delay(int failures, TimeSpan min, TimeSpan max)
    {
        var jitter = TimeSpan.FromMilliseconds(Random.Shared.Next(0, MaxJitterMilliseconds));
        if (failures <= 0)
        {
            return jitter;
        }

        var exponent = Math.Min(failures - 1, 20);
        var delay = TimeSpan.FromTicks((long)Math.Min(max.Ticks, min.Ticks * Math.Pow(2, exponent)));
        return delay + jitter;
    }
}
