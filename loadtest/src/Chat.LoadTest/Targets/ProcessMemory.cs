using System.Globalization;

namespace Chat.LoadTest.Targets;

/// <summary>Resident set size of a process, read from /proc (Linux); null elsewhere or when it is gone.</summary>
public static class ProcessMemory
{
    public static long? ResidentBytes(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    var kilobytes = line["VmRSS:".Length..].Trim().Split(' ')[0];
                    return long.Parse(kilobytes, CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return null;
    }
}
