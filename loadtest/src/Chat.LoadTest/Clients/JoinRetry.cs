namespace Chat.LoadTest.Clients;

/// <summary>How long a load client waits before asking again for a join the server refused, and when it gives up.</summary>
public static class JoinRetry
{
    public const int MaxAttempts = 6;

    /// <summary>
    /// The wait after failed attempt <paramref name="attempt"/> (1-based): 1, 2, 4, 8, 8 s with ±25 % jitter, so that
    /// clients refused together do not ask again together; null once <see cref="MaxAttempts"/> have failed.
    /// </summary>
    public static TimeSpan? After(int attempt)
    {
        if (attempt >= MaxAttempts)
        {
            return null;
        }

        var seconds = Math.Min(8, 1 << (attempt - 1));
        return TimeSpan.FromSeconds(seconds * (0.75 + (Random.Shared.NextDouble() * 0.5)));
    }
}
