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

    [GeneratedRegex("^([0-9]{1,5}(h|m|s|ms)){1,4}$")]
    private static partial Regex Format();

    [GeneratedRegex("([0-9]{1,5})(ms|h|m|s)")]
    private static partial Regex Part();
}
