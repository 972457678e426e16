using System.Globalization;
using System.Net;
using System.Text;
using Chat.LoadTest.Scenarios;

namespace Chat.LoadTest.Reports;

/// <summary>
/// One self-contained HTML file (inline CSS and SVG, no script, nothing fetched): key figures, connections per
/// replica over time with the scenario's events, balance, throughput, latency over time and its distribution.
/// </summary>
public static class HtmlReport
{
    public static string Render(RunSummary summary)
    {
        var timeline = summary.Timeline;
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">");
        html.Append(Invariant($"<title>Chat load test: {E(summary.Scenario)} {summary.StartedAt:yyyy-MM-dd HH:mm} UTC</title>"));
        html.Append("<style>").Append(Css).Append("</style></head><body>");
        html.Append(Invariant($"<h1>Chat load test: {E(summary.Scenario)}</h1>"));
        html.Append(Invariant($"<p class=\"sub\">{E(summary.Target)} · started {summary.StartedAt:yyyy-MM-dd HH:mm:ss} UTC · {summary.DurationSeconds:0} s"));
        html.Append(summary.Cancelled ? " · <b>stopped early</b>" : "").Append("</p>");

        var verdict = summary.Messages.Confirmed == 0 && summary.Messages.Delivered == 0
            ? ("info", "no messages published")
            : summary.NoLoss ? ("ok", "no loss, no duplicates, no gaps") : ("bad", "messages lost, duplicated or missing");
        html.Append(Invariant($"<div class=\"verdict {verdict.Item1}\">{verdict.Item2}</div>"));

        html.Append("<div class=\"cards\">");
        Card(html, "connections held", $"{summary.Connections.Final} / {summary.Connections.Target}");
        Card(html, "replicas (max/mean)", $"{summary.Balance.Replicas} ({summary.Balance.MaxOverMean:0.00})");
        Card(html, "delivered/s (hold)", $"{summary.Messages.DeliveredPerSecond:0}");
        Card(html, "latency p99", summary.Latency.P99Ms is { } p99 ? $"{p99:0.0} ms" : "–");
        Card(html, "lost / dup / gaps", $"{summary.Messages.Lost} / {summary.Messages.Duplicates} / {summary.Messages.Gaps}");
        Card(html, "reconnects", $"{summary.Connections.Reconnects}");
        if (summary.Memory?.ConnectionsPerGb is { } perGb)
        {
            Card(html, "connections per GB", $"{perGb:0}");
        }

        html.Append("</div>");

        var replicas = timeline.SelectMany(s => s.Replicas.Keys).Distinct().Order(StringComparer.Ordinal).ToArray();
        var connections = new SvgLineChart("Connections per replica", "seconds", "connections");
        foreach (var replica in replicas)
        {
            connections.Series(replica, timeline.Select(s => (s.Seconds, (double)s.Replicas.GetValueOrDefault(replica))));
        }

        connections.Series("total", timeline.Select(s => (s.Seconds, (double)s.Connected)), dashed: true, color: "#444");
        html.Append(OverTime(connections, summary).Render());

        var balance = new SvgLineChart("Balance: max and mean connections per replica that has any", "seconds", "connections");
        balance.Series("max", timeline.Select(s => (s.Seconds, (double)Live(s).DefaultIfEmpty().Max())));
        balance.Series("mean", timeline.Select(s => (s.Seconds, Live(s).Select(c => (double)c).DefaultIfEmpty().Average())), dashed: true);
        balance.Series("min", timeline.Select(s => (s.Seconds, (double)Live(s).DefaultIfEmpty().Min())), dashed: true);
        html.Append(OverTime(balance, summary).Render());

        var throughput = new SvgLineChart("Throughput", "seconds", "messages per second")
            .Series("delivered/s", timeline.Select(s => (s.Seconds, s.DeliveredPerSecond)))
            .Series("published/s", timeline.Select(s => (s.Seconds, s.SentPerSecond)));
        html.Append(OverTime(throughput, summary).Render());

        var latencyOverTime = new SvgLineChart("Latency p99 per interval", "seconds", "ms")
            .Series("p99", timeline.Where(s => s.LatencyP99Ms is not null).Select(s => (s.Seconds, s.LatencyP99Ms!.Value)));
        html.Append(OverTime(latencyOverTime, summary).Render());

        html.Append(LatencyDistribution(summary.Latency).Render());

        if (timeline.Any(s => s.MemoryMb.Count > 0))
        {
            var memory = new SvgLineChart("Replica resident memory", "seconds", "MB");
            foreach (var replica in replicas)
            {
                memory.Series(replica, timeline.Where(s => s.MemoryMb.ContainsKey(replica)).Select(s => (s.Seconds, s.MemoryMb[replica])));
            }

            html.Append(OverTime(memory, summary).Render());
        }

        Tables(html, summary);
        html.Append("<p class=\"sub\">summary.json next to this file holds every figure and the full timeline.</p></body></html>");
        return html.ToString();
    }

    private static IEnumerable<int> Live(TimelineSample sample) => sample.Replicas.Values.Where(c => c > 0);

    /// <summary>Latency by percentile on a "number of nines" axis, so the tail is as wide as the median.</summary>
    private static SvgLineChart LatencyDistribution(LatencySummary latency)
    {
        static double Nines(double percentile) => -Math.Log10(Math.Max(1 - (percentile / 100), 1e-6));
        var chart = new SvgLineChart("End-to-end latency distribution (publish → every receiver)", "percentile", "ms")
            .XTicks([(Nines(0), "0%"), (Nines(50), "50%"), (Nines(90), "90%"), (Nines(99), "99%"), (Nines(99.9), "99.9%"), (Nines(99.99), "99.99%")]);
        return chart.Series("latency", latency.Distribution.Select(p => (Nines(p.Percentile), p.Ms)));
    }

    private static SvgLineChart OverTime(SvgLineChart chart, RunSummary summary)
    {
        if (summary.Timeline.Count > 1)
        {
            chart.XRange(0, summary.Timeline[^1].Seconds);
        }

        // Phase changes and what was done to the cluster; "connected" coincides with the "holding" phase.
        foreach (var item in summary.Events.Where(e => e.Kind is not ("run" or "connected")))
        {
            chart.Marker(item.Seconds, item.Kind == "phase" ? item.Detail : $"{item.Kind}: {item.Detail}");
        }

        return chart;
    }

    private static void Tables(StringBuilder html, RunSummary summary)
    {
        html.Append("<div class=\"tables\">");
        Table(html, "Replicas", ["replica", "final", "peak", "mean (hold)", "running", "peak MB"],
            summary.Replicas.Select(r => new[] { r.Id, N(r.Final), N(r.Peak), Invariant($"{r.MeanWhileHolding:0.0}"), r.Running ? "yes" : "no", r.PeakMemoryMb is { } mb ? Invariant($"{mb:0}") : "–" }));

        var m = summary.Messages;
        Table(html, "Messages", ["", ""],
        [
            ["published", N(m.Published)], ["confirmed", N(m.Confirmed)], ["unconfirmed", N(m.Unconfirmed)], ["send failures", N(m.SendFailures)],
            ["delivered", N(m.Delivered)], ["expected (confirmed × members)", N(m.ExpectedDeliveries)], ["lost", N(m.Lost)],
            ["duplicates", N(m.Duplicates)], ["gaps", N(m.Gaps)], ["delivered/s (hold mean)", Invariant($"{m.DeliveredPerSecond:0.0}")],
            ["delivered/s (peak)", Invariant($"{m.PeakDeliveredPerSecond:0.0}")],
            .. m.ByProtocol.Select(p => new[] { $"{p.Key} receivers: lost / dup / gaps", $"{p.Value.Lost} / {p.Value.Duplicates} / {p.Value.Gaps}" }),
        ]);

        var l = summary.Latency;
        Table(html, "Latency (ms)", ["", ""],
            [["count", N(l.Count)], ["p50", Ms(l.P50Ms)], ["p90", Ms(l.P90Ms)], ["p99", Ms(l.P99Ms)], ["p99.9", Ms(l.P999Ms)], ["max", Ms(l.MaxMs)], ["mean", Ms(l.MeanMs)]]);

        var c = summary.Connections;
        Table(html, "Connections", ["", ""],
        [
            ["target", N(c.Target)], ["peak", N(c.Peak)], ["held at the end", N(c.Final)], ["connects", N(c.Connects)], ["failed attempts", N(c.Failures)],
            ["reconnects", N(c.Reconnects)], ["moved by the server (1012 / reconnect)", N(c.RebalanceCloses)], ["dropped", N(c.Drops)],
            ["connect p50 / p99 (ms)", $"{Ms(c.ConnectP50Ms)} / {Ms(c.ConnectP99Ms)}"],
        ]);

        var s = summary.Settings;
        Table(html, "Settings", ["", ""],
        [
            ["connections", N(s.Connections)], ["rooms × members", $"{s.Rooms} × {s.MembersPerRoom}"], ["connect rate /s", Invariant($"{s.ConnectRate}")],
            ["publish rate /s per room", Invariant($"{s.PublishRatePerRoom}")], ["hold (s)", Invariant($"{s.HoldSeconds}")],
            ["SignalR / STOMP clients", $"{s.SignalRClients} / {s.StompClients}"],
        ]);

        if (summary.Memory is { } memory)
        {
            Table(html, "Memory (chat replicas, RSS)", ["", ""],
            [
                ["idle (MB)", Invariant($"{memory.ReplicasIdleMb:0}")], [$"with {memory.Connections} connections (MB)", Invariant($"{memory.ReplicasLoadedMb:0}")],
                ["KB per connection", memory.KilobytesPerConnection is { } kb ? Invariant($"{kb:0.0}") : "–"],
                ["connections per GB", memory.ConnectionsPerGb is { } gb ? Invariant($"{gb:0}") : "–"], ["load-test tool (MB)", Invariant($"{memory.ToolMb:0}")],
            ]);
        }

        html.Append("</div>");
        Table(html, "Events", ["t (s)", "event", "detail"],
            summary.Events.Select(e => new[] { Invariant($"{e.Seconds:0.0}"), e.Kind, e.Detail }));
        if (summary.Messages.GapSamples.Count > 0)
        {
            Table(html, "Gaps (first clients)", ["where"], summary.Messages.GapSamples.Select(g => new[] { g }));
        }

        if (summary.Errors.Count > 0)
        {
            Table(html, "Errors", ["kind", "count"], summary.Errors.OrderByDescending(e => e.Value).Select(e => new[] { e.Key, N(e.Value) }));
        }
    }

    private static void Card(StringBuilder html, string label, string value) =>
        html.Append(Invariant($"<div class=\"card\"><div class=\"value\">{E(value)}</div><div class=\"label\">{E(label)}</div></div>"));

    private static void Table(StringBuilder html, string caption, string[] header, IEnumerable<string[]> rows)
    {
        html.Append("<table><caption>").Append(E(caption)).Append("</caption><tr>");
        foreach (var cell in header)
        {
            html.Append("<th>").Append(E(cell)).Append("</th>");
        }

        html.Append("</tr>");
        foreach (var row in rows)
        {
            html.Append("<tr>");
            foreach (var cell in row)
            {
                html.Append("<td>").Append(E(cell)).Append("</td>");
            }

            html.Append("</tr>");
        }

        html.Append("</table>");
    }

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Ms(double? value) => value is { } v ? Invariant($"{v:0.00}") : "–";

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private const string Css = """
        body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px;color:#222;max-width:1240px}
        h1{margin:0 0 4px;font-size:26px}.sub{color:#666;margin:0 0 14px}
        .verdict{display:inline-block;padding:6px 14px;border-radius:6px;font-weight:600;margin-bottom:14px}
        .verdict.ok{background:#e3f6e5;color:#1b6e2a}.verdict.bad{background:#fde2e1;color:#a11}.verdict.info{background:#eef;color:#335}
        .cards{display:flex;flex-wrap:wrap;gap:10px;margin-bottom:16px}
        .card{border:1px solid #ddd;border-radius:8px;padding:10px 16px;min-width:140px}
        .card .value{font-size:22px;font-weight:600}.card .label{color:#666;font-size:13px}
        .chart{width:100%;height:auto;border:1px solid #eee;border-radius:8px;margin:8px 0}
        .chart .title{font-size:15px;font-weight:600}.chart .tick{font-size:11px;fill:#555}.chart .axis{font-size:12px;fill:#333}
        .chart .legend{font-size:12px}.chart .grid{stroke:#eee}.chart .empty{fill:#999}
        .chart .marker{stroke:#999;stroke-dasharray:3 3}.chart .marker-label{font-size:10px;fill:#777}
        .tables{display:flex;flex-wrap:wrap;gap:18px;align-items:flex-start}
        table{border-collapse:collapse;margin:10px 0;font-size:13px}caption{text-align:left;font-weight:600;padding:4px 0}
        td,th{border:1px solid #ddd;padding:3px 8px;text-align:left}th{background:#f6f6f6}
        """;
}
