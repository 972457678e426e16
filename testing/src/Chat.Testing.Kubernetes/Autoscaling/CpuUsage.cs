using System.Globalization;

namespace Chat.Testing.Kubernetes.Autoscaling;

/// <summary>
/// A process's CPU as metrics-server reports a container's: the CPU time used over the last window, in millicores,
/// with the time of the sample and the window (metric resolution 15 s). Read from /proc/&lt;pid&gt;/stat.
/// </summary>
public sealed class CpuUsage(int pid)
{
    private const double ClockTicksPerSecond = 100;
    private (double CpuSeconds, DateTimeOffset At)? _previous;

    public (double Millicores, DateTimeOffset At, TimeSpan Window)? Latest { get; private set; }

    public void Sample(DateTimeOffset now)
    {
        if (CpuSeconds() is not { } cpu)
        {
            return;
        }

        if (_previous is { } previous && now > previous.At)
        {
            var window = now - previous.At;
            Latest = (Math.Max(0, cpu - previous.CpuSeconds) / window.TotalSeconds * 1000, now, window);
        }

        _previous = (cpu, now);
    }

    private double? CpuSeconds()
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            // After "pid (comm) ": state is field 3; utime and stime are fields 14 and 15.
            var user = double.Parse(fields[11], CultureInfo.InvariantCulture);
            var system = double.Parse(fields[12], CultureInfo.InvariantCulture);
            return (user + system) / ClockTicksPerSecond;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }
}
