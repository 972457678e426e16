using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Chat.LoadTest.Reports;
using Chat.Testing;

namespace Chat.LoadTest.Tests;

/// <summary>The load-test tool run from its build output as a user runs it, with its summary.json read back.</summary>
public sealed partial class ToolRun : IAsyncDisposable
{
    private ToolRun(ChildProcess process, string directory)
    {
        Process = process;
        Directory = directory;
    }

    public ChildProcess Process { get; }

    public string Directory { get; }

    public static ToolRun Start(params string[] args)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("chat-loadtest-test-").FullName;
        var dll = RepoPaths.ProjectOutput("loadtest", "Chat.LoadTest");
        var process = new ChildProcess("dotnet", [dll, .. args, "--out", directory, "--plain"], new Dictionary<string, string?>
        {
            ["DOTNET_gcServer"] = "0",
        }, RepoPaths.Root);
        return new ToolRun(process, directory);
    }

    public static async Task<(int ExitCode, RunSummary Summary, string Output)> RunAsync(params string[] args)
    {
        await using var run = Start(args);
        var exited = await run.Process.WaitForExitAsync(TimeSpan.FromSeconds(150));
        Assert.True(exited, "the tool did not finish in time:\n" + run.Process.Output);
        Assert.True(File.Exists(Path.Combine(run.Directory, "summary.json")), "no summary.json:\n" + run.Process.Output);
        return (run.Process.ExitCode, run.ReadSummary(), run.Process.Output);
    }

    public RunSummary ReadSummary() =>
        JsonSerializer.Deserialize<RunSummary>(File.ReadAllText(Path.Combine(Directory, "summary.json")), ReportFiles.Json)!;

    /// <summary>Processes still using the run's redis-server (its chat replicas carry its address, it carries its port).</summary>
    public static IReadOnlyList<int> ProcessesOf(RunSummary summary)
    {
        var port = RedisPort().Match(summary.Target) is { Success: true } match ? match.Groups[1].Value : throw new InvalidOperationException(summary.Target);
        var found = new List<int>();
        foreach (var entry in System.IO.Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(entry), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid == Environment.ProcessId)
            {
                continue;
            }

            try
            {
                var environment = File.ReadAllText(Path.Combine(entry, "environ"));
                var commandLine = File.ReadAllText(Path.Combine(entry, "cmdline")).Replace('\0', ' ');
                if (environment.Contains($"127.0.0.1:{port},", StringComparison.Ordinal)
                    || (commandLine.StartsWith("redis-server", StringComparison.Ordinal) && commandLine.Contains($"--port {port} ", StringComparison.Ordinal)))
                {
                    found.Add(pid);
                }
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException)
            {
                // Gone meanwhile, or not ours to read.
            }
        }

        return found;
    }

    public async Task<bool> WaitForOutputAsync(string text, TimeSpan timeout) =>
        await Eventually.TrueAsync(() => Process.Output.Contains(text, StringComparison.Ordinal) || Process.HasExited, timeout)
        && Process.Output.Contains(text, StringComparison.Ordinal);

    /// <summary>
    /// Ctrl+C: SIGINT, as a terminal sends it. A test process that ignores SIGINT (a background job of a
    /// non-interactive shell) hands that on to the tool, which then never sees it; the tool then gets SIGTERM, which
    /// it handles the same way.
    /// </summary>
    public void Interrupt()
    {
        var signal = SigIntIgnored() ? "-TERM" : "-INT";
        using var kill = System.Diagnostics.Process.Start("kill", [signal, Process.Id.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    // Bit n-1 of /proc/self/status's SigIgn mask is signal n; SIGINT is 2.
    private static bool SigIntIgnored() =>
        System.IO.File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal)) is { } line
        && (ulong.Parse(line["SigIgn:".Length..].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture) & 0x2) != 0;

    public async ValueTask DisposeAsync()
    {
        await Process.DisposeAsync();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [GeneratedRegex(@"redis-server :(\d+)")]
    private static partial Regex RedisPort();
}
