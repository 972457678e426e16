using System.Globalization;

namespace Chat.Stomp;

/// <summary>
/// Heart-beat negotiation (STOMP 1.2 "Heart-beating"): the client offers <c>cx,cy</c>, the server <c>sx,sy</c>.
/// The server sends every MAX(sx, cy) when both are non-zero, and expects data every MAX(cx, sy) when both are.
/// </summary>
public readonly record struct StompHeartBeat(TimeSpan SendEvery, TimeSpan ExpectEvery)
{
    public static StompHeartBeat None { get; } = new(TimeSpan.Zero, TimeSpan.Zero);

    /// <summary>Parses a <c>heart-beat</c> header ("cx,cy"); absent means "0,0".</summary>
    public static (int CanSend, int WantsToReceive) Parse(string? header)
    {
        if (header is null)
        {
            return (0, 0);
        }

        var comma = header.IndexOf(',');
        if (comma < 0
            || !int.TryParse(header.AsSpan(0, comma), NumberStyles.None, CultureInfo.InvariantCulture, out var canSend)
            || !int.TryParse(header.AsSpan(comma + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var wantsToReceive))
        {
            throw new StompProtocolException($"Malformed heart-beat header '{header}' (expected two non-negative integers, e.g. 10000,10000)");
        }

        return (canSend, wantsToReceive);
    }

    public static StompHeartBeat Negotiate((int CanSend, int WantsToReceive) client, int serverCanSend, int serverWantsToReceive) =>
        new(Interval(serverCanSend, client.WantsToReceive), Interval(client.CanSend, serverWantsToReceive));

    private static TimeSpan Interval(int senderCan, int receiverWants) =>
        senderCan == 0 || receiverWants == 0 ? TimeSpan.Zero : TimeSpan.FromMilliseconds(Math.Max(senderCan, receiverWants));
}
