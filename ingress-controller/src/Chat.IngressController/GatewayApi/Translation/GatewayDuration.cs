using System.Globalization;
using System.Text.RegularExpressions;

namespace Chat.IngressController.GatewayApi.Translation;

/// <summary>The Gateway API's Duration (GEP-2257): 1 to 4 of a number (up to 5 digits) and h, m, s or ms, e.g. "1h30m", "500ms", "0s".</summary>
public static partial class GatewayDuration
{
    public static TimeSpan? Parse(string? value)
    {
        if (string.IsNullOrEmpty(value) || !Format().IsMatch(value))
        {
            return null;
        }

        var total = TimeSpan.Zero;
        foreach (Match part in Part().Matches(value))
        {
            var n = long.Parse(part.Groups[1].Value, CultureInfo.InvariantCulture);
            total += part.Groups[2].Value switch
            {
                "h" => TimeSpan.FromHours(n),
                "m" => TimeSpan.FromMinutes(n),
                "s" => TimeSpan.FromSeconds(n),
                _ => TimeSpan.FromMilliseconds(n),
            };
        }

        return total;
    }

    /// <summary>A duration in this format: whole seconds as "1200s" when they fit, else hours, minutes, seconds and milliseconds.</summary>
    public static string Format(TimeSpan value)
    {
        var ms = (long)Math.Round(value.TotalMilliseconds);
        if (ms % 1000 == 0 && ms / 1000 <= 99999)
        {
            return (ms / 1000).ToString(CultureInfo.InvariantCulture) + "s";
        }

        if (ms <= 99999)
        {
            return ms.ToString(CultureInfo.InvariantCulture) + "ms";
        }

        var parts = new[] { (ms / 3_600_000, "h"), (ms / 60_000 % 60, "m"), (ms / 1000 % 60, "s"), (ms % 1000, "ms") };
        return string.Concat(parts.Where(p => p.Item1 > 0).Select(p => p.Item1.ToString(CultureInfo.InvariantCulture) + p.Item2));
    }

    [GeneratedRegex("^([0-9]{1,5}(h|m|s|ms)){1,4}$")]
    private static partial Regex Format();

    [GeneratedRegex("([0-9]{1,5})(ms|h|m|s)")]
    private static partial Regex Part();
}
