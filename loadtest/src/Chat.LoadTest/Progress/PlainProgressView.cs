using System.Globalization;
using Chat.LoadTest.Scenarios;

namespace Chat.LoadTest.Progress;

/// <summary>For logs and CI: one line every few seconds and one per event.</summary>
public sealed class PlainProgressView(TextWriter output) : IProgressView
{
    private static readonly TimeSpan Every = TimeSpan.FromSeconds(5);
    private double _lastPrinted = double.MinValue;

    public Task RunAsync(Func<Task> body) => body();

    public void Update(ProgressSnapshot s)
    {
        var sample = s.Sample;
        if (sample.Seconds - _lastPrinted < Every.TotalSeconds)
        {
            return;
        }

        _lastPrinted = sample.Seconds;
        var replicas = string.Join(' ', sample.Replicas.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => $"{r.Key}={r.Value}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"[{sample.Seconds,6:0.0}s {sample.Phase}] connections {sample.Connected}/{s.TargetConnections} ({replicas}) published/s {sample.SentPerSecond:0} delivered/s {sample.DeliveredPerSecond:0} reconnects {s.Reconnects} duplicates {s.Duplicates} errors {s.Errors}"));
    }

    public void Event(RunEvent item) =>
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{item.Seconds,6:0.0}s] {item.Kind}: {item.Detail}"));
}
