using System.Diagnostics;
using HdrHistogram;

namespace Chat.Gateway.Benchmarks.DataPath;

/// <summary>The raw outcome of one proxy's measurement; several (the rounds of a run) merge into one <see cref="EchoFigures"/>.</summary>
internal sealed record EchoSample(
    double SetupRate,
    LongHistogram Histogram,
    long Count,
    long TotalTicks,
    long Stalls,
    double SlowestTenthRate,
    double Seconds,
    CpuProbe.Sample CpuBefore,
    CpuProbe.Sample CpuAfter)
{
    public static EchoFigures Merge(string proxy, IReadOnlyList<EchoSample> samples)
    {
        var histogram = new LongHistogram(TimeStamp.Seconds(60), 3);
        foreach (var sample in samples)
        {
            histogram.Add(sample.Histogram);
        }

        var count = samples.Sum(s => s.Count);
        double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
        double PerMessageUs(Func<CpuProbe.Sample, double> of) => samples.Sum(s => of(s.CpuAfter) - of(s.CpuBefore)) * 1e6 / count;
        var machineTotal = samples.Sum(s => s.CpuAfter.MachineTotal - s.CpuBefore.MachineTotal);
        return new EchoFigures(
            proxy,
            samples.Average(s => s.SetupRate),
            count / samples.Sum(s => s.Seconds),
            Ms(histogram.GetValueAtPercentile(50)),
            Ms(histogram.GetValueAtPercentile(99)),
            Ms(samples.Sum(s => s.TotalTicks)) / count,
            Ms(histogram.GetMaxValue()),
            samples.Sum(s => s.Stalls),
            samples.Min(s => s.SlowestTenthRate),
            PerMessageUs(c => c.Proxy),
            PerMessageUs(c => c.Backend),
            PerMessageUs(c => c.Client),
            machineTotal > 0 ? samples.Sum(s => s.CpuAfter.MachineBusy - s.CpuBefore.MachineBusy) / machineTotal : 0);
    }
}
