using System.Globalization;
using Spectre.Console;

namespace Chat.LoadTest.Reports;

/// <summary>The final table printed when a run ends.</summary>
public static class ConsoleReport
{
    public static void Write(IAnsiConsole console, RunSummary summary, string jsonPath, string htmlPath)
    {
        var table = new Table().Border(TableBorder.Rounded).Title($"[bold]{summary.Scenario}[/] · {Markup.Escape(summary.Target)}")
            .AddColumn("").AddColumn(new TableColumn("").RightAligned());
        var c = summary.Connections;
        var m = summary.Messages;
        var l = summary.Latency;
        var b = summary.Balance;
        table.AddRow("connections held / target", $"{c.Final} / {c.Target}");
        table.AddRow("reconnects (moved / dropped)", $"{c.Reconnects} ({c.RebalanceCloses} / {c.Drops})");
        table.AddRow("per replica (final)", Markup.Escape(string.Join("  ", summary.Replicas.Select(r => $"{r.Id}: {r.Final}{(r.Running ? "" : " (stopped)")}"))));
        table.AddRow("balance max/mean (stddev)", I($"{b.MaxOverMean:0.00} ({b.StdDev:0.0}) over {b.Replicas} replicas"));
        table.AddRow("published / confirmed", I($"{m.Published:N0} / {m.Confirmed:N0}"));
        table.AddRow("delivered / expected", I($"{m.Delivered:N0} / {m.ExpectedDeliveries:N0}"));
        table.AddRow("delivered per second (hold mean / peak)", I($"{m.DeliveredPerSecond:N0} / {m.PeakDeliveredPerSecond:N0}"));
        table.AddRow("latency p50 / p90 / p99 / p99.9 / max (ms)", $"{Ms(l.P50Ms)} / {Ms(l.P90Ms)} / {Ms(l.P99Ms)} / {Ms(l.P999Ms)} / {Ms(l.MaxMs)}");
        table.AddRow("lost / duplicates / gaps", Colour(m.Lost + m.Duplicates + m.Gaps == 0, $"{m.Lost} / {m.Duplicates} / {m.Gaps}"));
        foreach (var (protocol, p) in m.ByProtocol.Where(p => p.Value.Clients > 0))
        {
            table.AddRow($"  {protocol} receivers ({p.Clients})", $"{p.Lost} / {p.Duplicates} / {p.Gaps}");
        }
        if (summary.Memory is { } memory)
        {
            table.AddRow("replica RSS idle → loaded (MB)", I($"{memory.ReplicasIdleMb:0} → {memory.ReplicasLoadedMb:0} with {memory.Connections} connections"));
            table.AddRow("connections per GB (marginal)", memory.ConnectionsPerGb is { } gb ? I($"{gb:N0} ({memory.KilobytesPerConnection:0.0} KB each)") : "–");
        }

        table.AddRow("errors", summary.Errors.Count == 0 ? "0" : Markup.Escape(string.Join(", ", summary.Errors.Select(e => $"{e.Key}: {e.Value}"))));
        console.Write(table);
        console.MarkupLine($"summary: [link]{Markup.Escape(jsonPath)}[/]");
        console.MarkupLine($"report:  [link]{Markup.Escape(htmlPath)}[/]");
    }

    private static string Colour(bool good, string text) => good ? $"[green]{text}[/]" : $"[red]{text}[/]";

    private static string Ms(double? value) => value is { } v ? v.ToString("0.0", CultureInfo.InvariantCulture) : "–";

    private static string I(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
