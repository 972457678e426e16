using System.Globalization;
using System.Text.RegularExpressions;

namespace Chat.LoadTest.Cli;

/// <summary>Durations as people type them: 90 (seconds), 30s, 5m, 2h, 1h30m, 500ms, or 00:05:00.</summary>
public static partial class DurationParser
{
    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        text = text.Trim();
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
        {
            duration = TimeSpan.FromSeconds(seconds);
            return true;
        }

        if (text.Contains(':'))
        {
            return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out duration);
        }

        var parts = Part().Matches(text);
        if (parts.Count == 0 || string.Concat(parts.Select(p => p.Value)) != text)
        {
            return false;
        }

        foreach (Match part in parts)
        {
            var value = double.Parse(part.Groups[1].Value, CultureInfo.InvariantCulture);
            duration += part.Groups[2].Value switch
            {
                "ms" => TimeSpan.FromMilliseconds(value),
                "s" => TimeSpan.FromSeconds(value),
                "m" => TimeSpan.FromMinutes(value),
                _ => TimeSpan.FromHours(value),
            };
        }

        return true;
    }

    [GeneratedRegex(@"(\d+(?:\.\d+)?)(ms|s|m|h)")]
    private static partial Regex Part();
}
