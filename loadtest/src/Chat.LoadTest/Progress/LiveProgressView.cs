using System.Globalization;
using Chat.LoadTest.Scenarios;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Chat.LoadTest.Progress;

/// <summary>A table redrawn in place on a terminal: phase and time, connections per replica, rates, errors, latest events.</summary>
public sealed class LiveProgressView : IProgressView
{
    private readonly Queue<RunEvent> _events = new();
    private readonly Lock _lock = new();
    private LiveDisplayContext? _context;
    private ProgressSnapshot? _last;

    public async Task RunAsync(Func<Task> body) =>
        await AnsiConsole.Live(new Text("starting…")).AutoClear(false).StartAsync(async context =>
        {
            _context = context;
            await body();
            Redraw();
        });

    public void Update(ProgressSnapshot snapshot)
    {
        _last = snapshot;
        Redraw();
    }

    public void Event(RunEvent item)
    {
        lock (_lock)
        {
            _events.Enqueue(item);
            while (_events.Count > 6)
            {
                _events.Dequeue();
            }
        }

        Redraw();
    }

    private void Redraw()
    {
        if (_context is not { } context || _last is not { } snapshot)
        {
            return;
        }

        lock (_lock)
        {
            context.UpdateTarget(Render(snapshot, [.. _events]));
            context.Refresh();
        }
    }

    private static IRenderable Render(ProgressSnapshot s, RunEvent[] events)
    {
        var sample = s.Sample;
        var table = new Table().Border(TableBorder.Rounded).Title($"[bold]{s.Scenario}[/] · {sample.Phase} · {sample.Seconds:0}s")
            .AddColumn("").AddColumn("");
        table.AddRow("connections", $"{sample.Connected} / {s.TargetConnections}");
        var replicas = sample.Replicas.OrderBy(r => r.Key, StringComparer.Ordinal)
            .Select(r => $"{Markup.Escape(r.Key)}: {r.Value}" + (sample.MemoryMb.TryGetValue(r.Key, out var mb) ? $" ({mb:0} MB)" : ""));
        table.AddRow("per replica", string.Join("  ", replicas));
        table.AddRow("published / delivered per s", $"{sample.SentPerSecond:0} / {sample.DeliveredPerSecond:0}");
        table.AddRow("published / delivered total", $"{s.Sent:N0} / {s.Delivered:N0}");
        table.AddRow("latency p99 (interval / run)", $"{Ms(sample.LatencyP99Ms)} / {Ms(s.LatencyP99Ms)}");
        table.AddRow("reconnects (moved / dropped)", $"{s.Reconnects} ({s.RebalanceCloses} / {s.Drops})");
        table.AddRow("duplicates", s.Duplicates == 0 ? "0" : $"[red]{s.Duplicates}[/]");
        table.AddRow("errors", s.Errors == 0 ? "0" : $"[yellow]{s.Errors}[/]");
        foreach (var item in events)
        {
            table.AddRow(new Markup($"[grey]{item.Seconds:0.0}s {Markup.Escape(item.Kind)}[/]"), new Markup($"[grey]{Markup.Escape(item.Detail)}[/]"));
        }

        return table;
    }

    private static string Ms(double? value) => value is { } v ? v.ToString("0.0", CultureInfo.InvariantCulture) + " ms" : "–";
}
