using System.Globalization;
using System.Reflection;
using System.Text.Json;
using Chat.LoadTest.Reports;
using Chat.LoadTest.Scenarios;
using Chat.LoadTest.Targets;
using Chat.Testing;

namespace Chat.LoadTest.Cli;

/// <summary>
/// Generators 1..N-1 of a run, as child processes of this tool against the cluster's entries (the gateway, or
/// each replica), with the same run id and start time; each writes its summary into generator-i/ of the run's folder.
/// </summary>
public sealed class GeneratorProcesses : IAsyncDisposable
{
    private readonly List<(int Index, ChildProcess Process, string Directory)> _children = [];

    private GeneratorProcesses()
    {
    }

    public static string DirectoryOf(string outputDirectory, int index) =>
        Path.Combine(outputDirectory, "generator-" + index.ToString(CultureInfo.InvariantCulture));

    public static GeneratorProcesses Start(ScenarioSettings settings, ITargetCluster cluster, string outputDirectory)
    {
        var processes = new GeneratorProcesses();
        var (program, prefix) = Self();
        for (var index = 1; index < settings.Generator.Count; index++)
        {
            var directory = DirectoryOf(outputDirectory, index);
            Directory.CreateDirectory(directory);
            processes._children.Add((index, new ChildProcess(program, [.. prefix, .. Arguments(settings, cluster, index, directory)]), directory));
        }

        return processes;
    }

    /// <summary>The command line of generator <paramref name="index"/>: the run's settings, with its part and its folder.</summary>
    public static IReadOnlyList<string> Arguments(ScenarioSettings settings, ITargetCluster cluster, int index, string directory)
    {
        var arguments = new List<string> { settings.Kind.Name() };
        foreach (var entry in cluster.Entries)
        {
            arguments.AddRange(["--target", entry.ToString()]);
        }

        if (cluster.Host is { } host)
        {
            arguments.AddRange(["--host", host]);
        }

        arguments.AddRange(
        [
            "--connections", I(settings.Connections),
            "--rooms", I(settings.Rooms),
            "--connect-rate", I(settings.ConnectRate),
            "--publish-rate", I(settings.PublishRate),
            "--duration", I(settings.Duration.TotalSeconds),
            "--stomp-ratio", I(settings.StompRatio),
            "--sample-interval", I(settings.SampleInterval.TotalSeconds),
            "--generators", I(settings.Generator.Count),
            "--generator-index", I(index),
            "--run-id", settings.RunId ?? throw new ArgumentException("generators need a shared run id"),
            "--start-at", (settings.StartAt ?? throw new ArgumentException("generators need a shared start time")).ToString("O", CultureInfo.InvariantCulture),
            "--out", directory,
            "--plain",
        ]);
        if (settings.SourceAddresses.Count > 0)
        {
            arguments.AddRange(["--source-addresses", string.Join(',', settings.SourceAddresses)]);
        }

        return arguments;
    }

    /// <summary>Waits for every generator (bounded), keeps its output beside its summary, and reads the summaries there are.</summary>
    public async Task<(IReadOnlyList<RunSummary> Summaries, IReadOnlyList<string> Problems)> CollectAsync(TimeSpan limit, bool stopNow)
    {
        if (stopNow)
        {
            foreach (var child in _children)
            {
                child.Process.Terminate();
            }
        }

        var summaries = new List<RunSummary>();
        var problems = new List<string>();
        foreach (var (index, process, directory) in _children)
        {
            if (!await process.WaitForExitAsync(limit))
            {
                problems.Add($"generator {index} did not finish within {limit.TotalSeconds:0} s; stopped");
                process.Kill();
            }
            else if (process.ExitCode is not (ScenarioCommand.Ok or ScenarioCommand.LossFound))
            {
                problems.Add($"generator {index} exited with {process.ExitCode}; see {Path.Combine(directory, "output.log")}");
            }

            await File.WriteAllTextAsync(Path.Combine(directory, "output.log"), process.Output);
            var file = Path.Combine(directory, "summary.json");
            if (File.Exists(file))
            {
                summaries.Add(Read(file));
            }
            else
            {
                problems.Add($"generator {index} wrote no summary; see {Path.Combine(directory, "output.log")}");
            }
        }

        return (summaries, problems);
    }

    public static RunSummary Read(string file) =>
        JsonSerializer.Deserialize<RunSummary>(File.ReadAllText(file), ReportFiles.Json)
        ?? throw new InvalidDataException($"{file} is not a load-test summary");

    public async ValueTask DisposeAsync()
    {
        foreach (var child in _children)
        {
            await child.Process.DisposeAsync();
        }
    }

    /// <summary>This tool again: the apphost, or `dotnet Chat.LoadTest.dll` when it was started that way.</summary>
    private static (string Program, string[] Prefix) Self()
    {
        var process = Environment.ProcessPath ?? "dotnet";
        return Path.GetFileNameWithoutExtension(process) == "dotnet"
            ? (process, [Assembly.GetEntryAssembly()!.Location])
            : (process, []);
    }

    private static string I(double value) => value.ToString(CultureInfo.InvariantCulture);
}
