using System.Text;
using System.Text.Json;
using Chat.Client.Connections;

namespace Chat.Client;

/// <summary>
/// Jwt servers: keeps one connection's token fresh in band. Before the token expires (its <c>exp</c>) it asks the
/// <see cref="ChatClientOptions.AccessTokenProvider"/> for a new one and presents it on the connection (the hub's
/// <c>RefreshToken</c>, STOMP's <c>/app/token.refresh</c>); the browser module does the same with the same timing.
/// </summary>
internal static class TokenRefresh
{
    /// <summary>
    /// 30 s before the end or at three quarters of the remaining life, whichever comes first, but not before half of
    /// it (short-lived tokens); null for a token without <c>exp</c> (nothing to refresh).
    /// </summary>
    public static TimeSpan? DelayBefore(string? token, DateTimeOffset now)
    {
        if (ExpiryOf(token) is not { } expires)
        {
            return null;
        }

        var left = expires - now;
        var delay = TimeSpan.FromTicks(Math.Min((left * 0.75).Ticks, (left - TimeSpan.FromSeconds(30)).Ticks));
        return TimeSpan.FromTicks(Math.Max(Math.Max(delay.Ticks, (left * 0.5).Ticks), 0));
    }

    /// <summary>The <c>exp</c> of a JWT, or null when it has none or is not a JWT.</summary>
    public static DateTimeOffset? ExpiryOf(string? token)
    {
        var parts = token?.Split('.');
        if (parts is not { Length: 3 })
        {
            return null;
        }

        try
        {
            var payload = parts[1].Replace('-', '+').Replace('_', '/');
            payload = payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '=');
            using var json = JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(payload)));
            return json.RootElement.TryGetProperty("exp", out var exp) && exp.TryGetInt64(out var seconds)
                ? DateTimeOffset.FromUnixTimeSeconds(seconds)
                : null;
        }
        catch (Exception error) when (error is FormatException or JsonException or ArgumentOutOfRangeException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>
    /// Refreshes until <paramref name="stop"/>; when getting or presenting a token fails, calls
    /// <paramref name="refused"/> (which ends the connection: the client connects again with a new token) and returns.
    /// </summary>
    public static async Task KeepFreshAsync(
        IChatConnection connection,
        Func<CancellationToken, Task<string?>> provider,
        TimeProvider time,
        Func<Exception, Task> refused,
        CancellationToken stop)
    {
        var token = connection.AccessToken;
        try
        {
            while (DelayBefore(token, time.GetUtcNow()) is { } delay)
            {
                await Task.Delay(delay, time, stop);
                token = await provider(stop) ?? throw new ChatClientException("The access token provider gave no token to refresh with.");
                await connection.RefreshTokenAsync(token, stop);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (Exception error)
        {
            if (!stop.IsCancellationRequested)
            {
                await refused(error);
            }
        }
    }
}
