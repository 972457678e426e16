using Chat.LoadTest.Progress;
using Chat.LoadTest.Reports;
using Chat.LoadTest.Scenarios;
using Chat.LoadTest.Targets;
using Spectre.Console;

namespace Chat.LoadTest.Cli;

/// <summary>One scenario command: validate, bring up the target, run with progress, write and print the reports.</summary>
public static class ScenarioCommand
{
    public const int Ok = 0;
    public const int BadInput = 2;
    public const int LossFound = 3;
    public const int Failed = 4;

    /// <summary>Generators of one run begin this long after the coordinator launched them (a .NET process starting on a busy machine).</summary>
    private static readonly TimeSpan GeneratorStartDelay = TimeSpan.FromSeconds(15);

    /// <summary>How long after its own part the coordinator waits for the other generators.</summary>
    private static readonly TimeSpan GeneratorFinishLimit = TimeSpan.FromMinutes(2);

    public static async Task<int> RunAsync(ScenarioSettings settings, bool plain,
        Func<Action<string>, CancellationToken, Task<ITargetCluster>> startTarget, CancellationToken cancellationToken, bool coordinate = false)
    {
        var mergedDirectory = settings.OutputDirectory;
        if (coordinate)
        {
            settings = settings with
            {
                RunId = settings.RunId ?? Guid.NewGuid().ToString("N")[..6],
                Generator = settings.Generator with { Index = 0 },
                OutputDirectory = GeneratorProcesses.DirectoryOf(mergedDirectory, 0),
            };
        }

        var problems = settings.Problems().ToArray();
        if (problems.Length > 0)
        {
            foreach (var problem in problems)
            {
                await Console.Error.WriteLineAsync("error: " + problem);
            }

            return BadInput;
        }

        IProgressView progress = plain || Console.IsOutputRedirected || !AnsiConsole.Profile.Capabilities.Interactive
            ? new PlainProgressView(Console.Out)
            : new LiveProgressView();

        ITargetCluster cluster;
        try
        {
            cluster = await startTarget(line => Console.WriteLine(line), cancellationToken);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            await Console.Error.WriteLineAsync("error: the cluster did not start: " + error.Message);
            return Failed;
        }
        catch (OperationCanceledException)
        {
            return Failed;
        }

        RunSummary? summary = null;
        var generatorProblems = new List<string>();
        await using (cluster)
        {
            GeneratorProcesses? generators = null;
            if (coordinate)
            {
                settings = settings with { StartAt = settings.StartAt ?? DateTimeOffset.UtcNow + GeneratorStartDelay };
                generators = GeneratorProcesses.Start(settings, cluster, mergedDirectory);
                Console.WriteLine($"started generators 1..{settings.Generator.Count - 1} (run {settings.RunId}, connecting at {settings.StartAt:O})");
            }

            await using (generators)
            {
                await progress.RunAsync(async () =>
                    summary = await new ScenarioRunner(settings, cluster, progress).RunAsync(cancellationToken));
                if (generators is not null)
                {
                    var own = await ReportFiles.WriteAsync(summary!, settings.OutputDirectory);
                    Console.WriteLine($"generator 0 done ({own.Json}); waiting for the others");
                    var (others, childProblems) = await generators.CollectAsync(GeneratorFinishLimit, stopNow: cancellationToken.IsCancellationRequested);
                    generatorProblems.AddRange(childProblems);
                    summary = SummaryMerger.Merge([summary!, .. others]);
                }
            }

            Console.WriteLine("stopping " + cluster.Description);
        }

        var (json, html) = await ReportFiles.WriteAsync(summary!, mergedDirectory);
        ConsoleReport.Write(AnsiConsole.Console, summary!, json, html);
        foreach (var problem in generatorProblems)
        {
            await Console.Error.WriteLineAsync("error: " + problem);
        }

        return generatorProblems.Count > 0 ? Failed : settings.FailOnLoss && !summary!.NoLoss ? LossFound : Ok;
    }

    /// <summary>`merge`: one summary from the generators' summary.json files (or the folders that hold them).</summary>
    public static async Task<int> MergeAsync(IReadOnlyList<string> inputs, string outputDirectory, bool failOnLoss)
    {
        var files = inputs.Select(i => Directory.Exists(i) ? Path.Combine(i, "summary.json") : i).ToArray();
        var missing = files.Where(f => !File.Exists(f)).ToArray();
        if (missing.Length > 0)
        {
            await Console.Error.WriteLineAsync("error: no summary at " + string.Join(", ", missing));
            return BadInput;
        }

        RunSummary merged;
        try
        {
            merged = SummaryMerger.Merge([.. files.Select(GeneratorProcesses.Read)]);
        }
        catch (Exception error) when (error is ArgumentException or System.Text.Json.JsonException or InvalidDataException)
        {
            await Console.Error.WriteLineAsync("error: " + error.Message);
            return BadInput;
        }

        var (json, html) = await ReportFiles.WriteAsync(merged, outputDirectory);
        ConsoleReport.Write(AnsiConsole.Console, merged, json, html);
        return failOnLoss && !merged.NoLoss ? LossFound : Ok;
    }
}
