using System.Globalization;

namespace Chat.Gateway.Benchmarks.DataPath;

/// <summary>CPU time from /proc: of a process with its child processes (nginx's master and workers), or of the whole machine.</summary>
internal static class ProcessCpu
{
    private static readonly double TicksPerSecond = 100; // USER_HZ, 100 on every Linux that .NET runs on.

    /// <summary>User + system seconds of the process and its direct children.</summary>
    public static double TreeSeconds(int pid)
    {
        var total = 0.0;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var candidate) || Stat(candidate) is not { } stat)
            {
                continue;
            }

            if (candidate == pid || stat.ParentId == pid)
            {
                total += stat.CpuSeconds;
            }
        }

        return total;
    }

    /// <summary>User + system seconds of the process alone.</summary>
    public static double Seconds(int pid) => Stat(pid)?.CpuSeconds ?? 0;

    /// <summary>Busy and total seconds of all cores together since boot (/proc/stat).</summary>
    public static (double Busy, double Total) Machine()
    {
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(f => double.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        var idle = fields[3] + fields[4];
        var total = fields.Take(8).Sum();
        return ((total - idle) / TicksPerSecond, total / TicksPerSecond);
    }

    private static (int ParentId, double CpuSeconds)? Stat(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }

        // The command name may hold spaces and parentheses: fields are counted after its closing parenthesis.
        var rest = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        var parent = int.Parse(rest[1], CultureInfo.InvariantCulture);
        var ticks = double.Parse(rest[11], CultureInfo.InvariantCulture) + double.Parse(rest[12], CultureInfo.InvariantCulture);
        return (parent, ticks / TicksPerSecond);
    }
}
