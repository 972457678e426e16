using System.Globalization;
using System.Net;
using System.Text;

namespace Chat.LoadTest.Reports;

/// <summary>A line chart as inline SVG (no script, no external file): series, vertical event markers, a legend.</summary>
public sealed class SvgLineChart(string title, string xLabel, string yLabel)
{
    private static readonly string[] Palette =
        ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

    private const int Width = 1200;
    private const int Height = 300;
    private const int Left = 70;
    private const int Right = 170;
    private const int Top = 34;
    private const int Bottom = 44;

    private readonly List<(string Name, IReadOnlyList<(double X, double Y)> Points, string Color, bool Dashed)> _series = [];
    private readonly List<(double X, string Label)> _markers = [];
    private IReadOnlyList<(double X, string Label)>? _xTicks;
    private (double Min, double Max)? _xRange;

    public SvgLineChart Series(string name, IEnumerable<(double X, double Y)> points, bool dashed = false, string? color = null)
    {
        _series.Add((name, points.ToArray(), color ?? Palette[_series.Count % Palette.Length], dashed));
        return this;
    }

    public SvgLineChart Marker(double x, string label)
    {
        _markers.Add((x, label));
        return this;
    }

    /// <summary>The x range to show, so charts of one run share their time axis.</summary>
    public SvgLineChart XRange(double min, double max)
    {
        _xRange = (min, max);
        return this;
    }

    /// <summary>Fixed x ticks (e.g. percentiles on a "number of nines" axis) instead of evenly spaced numbers.</summary>
    public SvgLineChart XTicks(IReadOnlyList<(double X, string Label)> ticks)
    {
        _xTicks = ticks;
        return this;
    }

    public string Render()
    {
        var points = _series.SelectMany(s => s.Points).ToArray();
        var svg = new StringBuilder();
        svg.Append(Invariant($"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {Width} {Height}\" class=\"chart\" role=\"img\">"));
        svg.Append(Invariant($"<text x=\"{Left}\" y=\"20\" class=\"title\">{Escape(title)}</text>"));
        if (points.Length == 0)
        {
            svg.Append(Invariant($"<text x=\"{Width / 2}\" y=\"{Height / 2}\" text-anchor=\"middle\" class=\"empty\">no data</text></svg>"));
            return svg.ToString();
        }

        var minX = _xRange?.Min ?? Math.Min(points.Min(p => p.X), _xTicks?.Min(t => t.X) ?? double.MaxValue);
        var maxX = _xRange?.Max ?? Math.Max(points.Max(p => p.X), _xTicks?.Max(t => t.X) ?? double.MinValue);
        if (maxX <= minX)
        {
            maxX = minX + 1;
        }

        var maxY = NiceCeiling(Math.Max(points.Max(p => p.Y), 1e-9) * 1.05);
        double X(double x) => Left + ((x - minX) / (maxX - minX) * (Width - Left - Right));
        double Y(double y) => Height - Bottom - (y / maxY * (Height - Top - Bottom));

        // Grid and y axis.
        for (var i = 0; i <= 4; i++)
        {
            var value = maxY * i / 4;
            svg.Append(Invariant($"<line x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{Y(value):0.#}\" y2=\"{Y(value):0.#}\" class=\"grid\"/>"));
            svg.Append(Invariant($"<text x=\"{Left - 6}\" y=\"{Y(value) + 4:0.#}\" text-anchor=\"end\" class=\"tick\">{Format(value)}</text>"));
        }

        var ticks = _xTicks ?? Enumerable.Range(0, 7).Select(i => minX + ((maxX - minX) * i / 6)).Select(x => (x, Format(x))).ToArray();
        foreach (var (x, label) in ticks)
        {
            svg.Append(Invariant($"<text x=\"{X(x):0.#}\" y=\"{Height - Bottom + 16}\" text-anchor=\"middle\" class=\"tick\">{Escape(label)}</text>"));
        }

        svg.Append(Invariant($"<text x=\"{(Left + Width - Right) / 2}\" y=\"{Height - 6}\" text-anchor=\"middle\" class=\"axis\">{Escape(xLabel)}</text>"));
        svg.Append(Invariant($"<text transform=\"translate(14 {(Top + Height - Bottom) / 2}) rotate(-90)\" text-anchor=\"middle\" class=\"axis\">{Escape(yLabel)}</text>"));

        foreach (var (x, label) in _markers)
        {
            svg.Append(Invariant($"<line x1=\"{X(x):0.#}\" x2=\"{X(x):0.#}\" y1=\"{Top}\" y2=\"{Height - Bottom}\" class=\"marker\"><title>{Escape(label)}</title></line>"));
            svg.Append(Invariant($"<text transform=\"translate({X(x) + 3:0.#} {Top + 4}) rotate(90)\" class=\"marker-label\">{Escape(Shorten(label))}</text>"));
        }

        foreach (var (name, series, color, dashed) in _series)
        {
            if (series.Count == 0)
            {
                continue;
            }

            var path = string.Join(' ', series.Select((p, i) => Invariant($"{(i == 0 ? 'M' : 'L')}{X(p.X):0.#},{Y(p.Y):0.#}")));
            svg.Append(Invariant($"<path d=\"{path}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"{(dashed ? 1.5 : 2)}\"{(dashed ? " stroke-dasharray=\"6 4\"" : "")}><title>{Escape(name)}</title></path>"));
        }

        for (var i = 0; i < _series.Count; i++)
        {
            var y = Top + 6 + (i * 18);
            var (name, _, color, dashed) = _series[i];
            svg.Append(Invariant($"<line x1=\"{Width - Right + 12}\" x2=\"{Width - Right + 36}\" y1=\"{y}\" y2=\"{y}\" stroke=\"{color}\" stroke-width=\"3\"{(dashed ? " stroke-dasharray=\"6 4\"" : "")}/>"));
            svg.Append(Invariant($"<text x=\"{Width - Right + 42}\" y=\"{y + 4}\" class=\"legend\">{Escape(Shorten(name))}</text>"));
        }

        return svg.Append("</svg>").ToString();
    }

    private static double NiceCeiling(double value)
    {
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(value)));
        var steps = new[] { 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10 };
        return steps.Select(s => s * magnitude).First(s => s >= value);
    }

    private static string Format(double value) => Math.Abs(value) switch
    {
        >= 1_000_000 => Invariant($"{value / 1_000_000:0.#}M"),
        >= 10_000 => Invariant($"{value / 1000:0.#}k"),
        >= 100 => Invariant($"{value:0}"),
        >= 1 => Invariant($"{value:0.#}"),
        0 => "0",
        _ => Invariant($"{value:0.###}"),
    };

    private static string Shorten(string text) => text.Length > 22 ? text[..21] + "…" : text;

    private static string Escape(string text) => WebUtility.HtmlEncode(text);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
