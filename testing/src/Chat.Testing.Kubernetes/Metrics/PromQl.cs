using System.Globalization;
using System.Text.RegularExpressions;

namespace Chat.Testing.Kubernetes.Metrics;

/// <summary>One element of an instant vector.</summary>
public sealed record VectorElement(IReadOnlyDictionary<string, string> Labels, double Value);

/// <summary>
/// The PromQL the manifests' autoscalers use, parsed and evaluated as Prometheus does: instant selectors with
/// <c>= != =~ !~</c> matchers (5 min lookback, staleness), range selectors under <c>rate</c>/<c>increase</c>
/// (counter resets, Prometheus's extrapolation), <c>sum|avg|min|max|count [by|without (labels)]</c>,
/// <c>vector(n)</c>, numbers and <c>or</c>. Anything else is refused with the position, so a manifest query this
/// subset cannot evaluate fails the test instead of being read wrongly.
/// </summary>
public static class PromQl
{
    private static readonly TimeSpan Lookback = TimeSpan.FromMinutes(5);

    public static IReadOnlyList<VectorElement> Evaluate(string query, SeriesStore store, DateTimeOffset at) =>
        new Parser(query).ParseAll().Evaluate(store, at);

    /// <summary>Checks that a query is inside the subset; throws <see cref="FormatException"/> if not.</summary>
    public static void Validate(string query) => new Parser(query).ParseAll();

    private abstract record Node
    {
        public abstract IReadOnlyList<VectorElement> Evaluate(SeriesStore store, DateTimeOffset at);
    }

    private sealed record Number(double Value) : Node
    {
        public override IReadOnlyList<VectorElement> Evaluate(SeriesStore store, DateTimeOffset at) => [new(new Dictionary<string, string>(), Value)];
    }

    private sealed record Matcher(string Label, string Op, string Value)
    {
        public bool Matches(IReadOnlyDictionary<string, string> labels)
        {
            var actual = labels.GetValueOrDefault(Label) ?? "";
            return Op switch
            {
                "=" => actual == Value,
                "!=" => actual != Value,
                "=~" => Regex.IsMatch(actual, "^(?:" + Value + ")$"),
                _ => !Regex.IsMatch(actual, "^(?:" + Value + ")$"),
            };
        }
    }

    private sealed record Selector(string Name, IReadOnlyList<Matcher> Matchers, TimeSpan? Range) : Node
    {
        public IEnumerable<Series> Select(SeriesStore store) => store.Named(Name).Where(s => Matchers.All(m => m.Matches(s.Labels)));

        public override IReadOnlyList<VectorElement> Evaluate(SeriesStore store, DateTimeOffset at)
        {
            if (Range is not null)
            {
                throw new FormatException($"a range vector ({Name}[…]) is only allowed inside rate() or increase()");
            }

            var result = new List<VectorElement>();
            foreach (var series in Select(store))
            {
                var latest = series.Samples.LastOrDefault(s => s.At <= at);
                if (latest == default || latest.At < at - Lookback || (series.StaleSince is { } stale && stale <= at && stale >= latest.At))
                {
                    continue;
                }

                result.Add(new VectorElement(series.Labels, latest.Value));
            }

            return result;
        }
    }

    private sealed record RangeFunction(string Name, Selector Argument) : Node
    {
        public override IReadOnlyList<VectorElement> Evaluate(SeriesStore store, DateTimeOffset at)
        {
            var range = Argument.Range!.Value;
            var result = new List<VectorElement>();
            foreach (var series in Argument.Select(store))
            {
                var samples = series.Samples.Where(s => s.At > at - range && s.At <= at).ToList();
                if (samples.Count < 2)
                {
                    continue;
                }

                var increase = ExtrapolatedIncrease(samples, at - range, at);
                var labels = series.Labels.Where(l => l.Key != "__name__").ToDictionary(l => l.Key, l => l.Value);
                result.Add(new VectorElement(labels, Name == "rate" ? increase / range.TotalSeconds : increase));
            }

            return result;
        }

        /// <summary>Prometheus's extrapolatedRate for counters (promql/functions.go).</summary>
        private static double ExtrapolatedIncrease(List<(DateTimeOffset At, double Value)> samples, DateTimeOffset start, DateTimeOffset end)
        {
            var first = samples[0];
            var last = samples[^1];
            var value = last.Value - first.Value;
            for (var i = 1; i < samples.Count; i++)
            {
                if (samples[i].Value < samples[i - 1].Value)
                {
                    value += samples[i - 1].Value;
                }
            }

            var sampled = (last.At - first.At).TotalSeconds;
            var averageGap = sampled / (samples.Count - 1);
            var toStart = (first.At - start).TotalSeconds;
            var toEnd = (end - last.At).TotalSeconds;
            if (value > 0 && first.Value >= 0)
            {
                var toZero = sampled * (first.Value / value);
                toStart = Math.Min(toStart, toZero);
            }

            var threshold = averageGap * 1.1;
            var interval = sampled + (toStart < threshold ? toStart : averageGap / 2) + (toEnd < threshold ? toEnd : averageGap / 2);
            return value * (interval / sampled);
        }
    }

    private sealed record VectorOf(Node Argument) : Node
    {
        public override IReadOnlyList<VectorElement> Evaluate(SeriesStore store, DateTimeOffset at) =>
            [new(new Dictionary<string, string>(), Argument.Evaluate(store, at).Single().Value)];
    }

    private sealed record Aggregate(string Op, IReadOnlyList<string> Labels, bool Without, Node Argument) : Node
    {
        public override IReadOnlyList<VectorElement> Evaluate(SeriesStore store, DateTimeOffset at) =>
            Argument.Evaluate(store, at)
                .GroupBy(e => Grouping(e.Labels), StringComparer.Ordinal)
                .Select(g =>
                {
                    var values = g.Select(e => e.Value).ToList();
                    var value = Op switch
                    {
                        "sum" => values.Sum(),
                        "avg" => values.Average(),
                        "min" => values.Min(),
                        "max" => values.Max(),
                        _ => values.Count,
                    };
                    return new VectorElement(Kept(g.First().Labels), value);
                })
                .ToList();

        private Dictionary<string, string> Kept(IReadOnlyDictionary<string, string> labels) =>
            labels.Where(l => l.Key != "__name__" && (Without ? !Labels.Contains(l.Key) : Labels.Contains(l.Key))).ToDictionary(l => l.Key, l => l.Value);

        private string Grouping(IReadOnlyDictionary<string, string> labels) =>
            string.Join('\u0001', Kept(labels).OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => l.Key + "=" + l.Value));
    }

    private sealed record Or(Node Left, Node Right) : Node
    {
        public override IReadOnlyList<VectorElement> Evaluate(SeriesStore store, DateTimeOffset at)
        {
            var left = Left.Evaluate(store, at);
            var keys = left.Select(e => Signature(e.Labels)).ToHashSet(StringComparer.Ordinal);
            return [.. left, .. Right.Evaluate(store, at).Where(e => !keys.Contains(Signature(e.Labels)))];
        }

        private static string Signature(IReadOnlyDictionary<string, string> labels) =>
            string.Join('\u0001', labels.Where(l => l.Key != "__name__").OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => l.Key + "=" + l.Value));
    }

    private sealed class Parser(string text)
    {
        private static readonly string[] Aggregations = ["sum", "avg", "min", "max", "count"];
        private int _at;

        public Node ParseAll()
        {
            var node = ParseOr();
            Skip();
            if (_at < text.Length)
            {
                throw Error("unexpected text");
            }

            return node;
        }

        private Node ParseOr()
        {
            var left = ParseTerm();
            while (TryWord("or"))
            {
                left = new Or(left, ParseTerm());
            }

            return left;
        }

        private Node ParseTerm()
        {
            Skip();
            if (_at < text.Length && (char.IsDigit(text[_at]) || text[_at] == '.'))
            {
                return new Number(ParseNumber());
            }

            if (Peek('('))
            {
                Expect('(');
                var inner = ParseOr();
                Expect(')');
                return inner;
            }

            var name = Identifier();
            if (Aggregations.Contains(name))
            {
                var (labels, without) = Grouping();
                Expect('(');
                var argument = ParseOr();
                Expect(')');
                if (labels.Count == 0 && !without)
                {
                    (labels, without) = Grouping();
                }

                return new Aggregate(name, labels, without, argument);
            }

            if (name is "rate" or "increase")
            {
                Expect('(');
                if (ParseTerm() is not Selector { Range: not null } selector)
                {
                    throw Error(name + "() needs a range vector selector");
                }

                Expect(')');
                return new RangeFunction(name, selector);
            }

            if (name == "vector")
            {
                Expect('(');
                var argument = ParseOr();
                Expect(')');
                return new VectorOf(argument);
            }

            if (Peek('('))
            {
                throw Error($"function {name}() is not in the subset this harness evaluates");
            }

            var matchers = new List<Matcher>();
            if (Peek('{'))
            {
                Expect('{');
                while (!Peek('}'))
                {
                    var label = Identifier();
                    Skip();
                    var op = text[_at..].StartsWith("=~", StringComparison.Ordinal) ? "=~"
                        : text[_at..].StartsWith("!~", StringComparison.Ordinal) ? "!~"
                        : text[_at..].StartsWith("!=", StringComparison.Ordinal) ? "!="
                        : text[_at..].StartsWith('=') ? "=" : throw Error("expected a label matcher");
                    _at += op.Length;
                    matchers.Add(new Matcher(label, op, QuotedString()));
                    Skip();
                    if (Peek(','))
                    {
                        Expect(',');
                    }
                }

                Expect('}');
            }

            TimeSpan? range = null;
            if (Peek('['))
            {
                Expect('[');
                range = Duration();
                Expect(']');
            }

            return new Selector(name, matchers, range);
        }

        private (List<string> Labels, bool Without) Grouping()
        {
            var without = TryWord("without");
            if (!without && !TryWord("by"))
            {
                return ([], false);
            }

            Expect('(');
            var labels = new List<string>();
            while (!Peek(')'))
            {
                labels.Add(Identifier());
                if (Peek(','))
                {
                    Expect(',');
                }
            }

            Expect(')');
            return (labels, without);
        }

        private TimeSpan Duration()
        {
            Skip();
            var start = _at;
            while (_at < text.Length && char.IsDigit(text[_at]))
            {
                _at++;
            }

            var amount = int.Parse(text[start.._at], CultureInfo.InvariantCulture);
            var unit = text[_at++];
            return unit switch
            {
                's' => TimeSpan.FromSeconds(amount),
                'm' => TimeSpan.FromMinutes(amount),
                'h' => TimeSpan.FromHours(amount),
                _ => throw Error("unknown duration unit " + unit),
            };
        }

        private double ParseNumber()
        {
            var start = _at;
            while (_at < text.Length && (char.IsDigit(text[_at]) || text[_at] is '.' or 'e' or 'E'))
            {
                _at++;
            }

            return double.Parse(text[start.._at], CultureInfo.InvariantCulture);
        }

        private string QuotedString()
        {
            Skip();
            Expect('"');
            var start = _at;
            while (_at < text.Length && text[_at] != '"')
            {
                _at += text[_at] == '\\' ? 2 : 1;
            }

            var value = Regex.Unescape(text[start.._at]);
            Expect('"');
            return value;
        }

        private string Identifier()
        {
            Skip();
            var start = _at;
            while (_at < text.Length && (char.IsLetterOrDigit(text[_at]) || text[_at] is '_' or ':'))
            {
                _at++;
            }

            return _at > start ? text[start.._at] : throw Error("expected a name");
        }

        private bool TryWord(string word)
        {
            Skip();
            if (string.CompareOrdinal(text, _at, word, 0, word.Length) == 0
                && (_at + word.Length == text.Length || !char.IsLetterOrDigit(text[_at + word.Length])))
            {
                _at += word.Length;
                return true;
            }

            return false;
        }

        private bool Peek(char c)
        {
            Skip();
            return _at < text.Length && text[_at] == c;
        }

        private void Expect(char c)
        {
            if (!Peek(c))
            {
                throw Error($"expected '{c}'");
            }

            _at++;
        }

        private void Skip()
        {
            while (_at < text.Length && char.IsWhiteSpace(text[_at]))
            {
                _at++;
            }
        }

        private FormatException Error(string what) => new($"PromQL `{text}` at {_at}: {what}");
    }
}
