using System.Diagnostics;
using System.Globalization;

namespace Chat.LoadTest.Clients;

/// <summary>
/// The content of a load-test message: who published it, its sequence number and when (this process's
/// monotonic clock), so every receiver measures end-to-end latency and knows exactly what it missed.
/// </summary>
public readonly record struct Payload(int Publisher, long Sequence, long Timestamp)
{
    private const string Prefix = "lt:";

    public static Payload Create(int publisher, long sequence) => new(publisher, sequence, Stopwatch.GetTimestamp());

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Prefix}{Publisher}:{Sequence}:{Timestamp}");

    public TimeSpan Age => Stopwatch.GetElapsedTime(Timestamp);

    public static bool TryParse(string? content, out Payload payload)
    {
        payload = default;
        if (content is null || !content.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var parts = content[Prefix.Length..].Split(':');
        if (parts.Length != 3
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var publisher)
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var sequence)
            || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var timestamp))
        {
            return false;
        }

        payload = new Payload(publisher, sequence, timestamp);
        return true;
    }
}
