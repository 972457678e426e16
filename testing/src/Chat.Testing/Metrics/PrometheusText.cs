using System.Globalization;
using System.Text;

namespace Chat.Testing.Metrics;

/// <summary>One sample of a scrape: metric name, labels, value.</summary>
public sealed record ScrapedSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

/// <summary>The Prometheus text exposition format (version 0.0.4), as the services' /metrics write it.</summary>
public static class PrometheusText
{
    public static IReadOnlyList<ScrapedSample> Parse(string text)
    {
        var samples = new List<ScrapedSample>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            if (ParseLine(line) is { } sample)
            {
                samples.Add(sample);
            }
        }

        return samples;
    }

    private static ScrapedSample? ParseLine(string line)
    {
        var i = 0;
        while (i < line.Length && line[i] is not ('{' or ' ' or '\t'))
        {
            i++;
        }

        var name = line[..i];
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (i < line.Length && line[i] == '{')
        {
            i++;
            while (i < line.Length && line[i] != '}')
            {
                var eq = line.IndexOf('=', i);
                if (eq < 0)
                {
                    return null;
                }

                var key = line[i..eq].Trim().TrimStart(',').Trim();
                i = eq + 1;
                if (i >= line.Length || line[i] != '"')
                {
                    return null;
                }

                i++;
                var value = new StringBuilder();
                while (i < line.Length && line[i] != '"')
                {
                    if (line[i] == '\\' && i + 1 < line.Length)
                    {
                        i++;
                        value.Append(line[i] == 'n' ? '\n' : line[i]);
                    }
                    else
                    {
                        value.Append(line[i]);
                    }

                    i++;
                }

                i++;
                labels[key] = value.ToString();
                while (i < line.Length && line[i] is ',' or ' ')
                {
                    i++;
                }
            }

            i++;
        }

        var rest = line[i..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return rest.Length > 0 && ParseValue(rest[0]) is { } v ? new ScrapedSample(name, labels, v) : null;
    }

    private static double? ParseValue(string text) => text switch
    {
        "NaN" => double.NaN,
        "+Inf" or "Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        _ => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null,
    };
}
