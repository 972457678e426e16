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

    public static async Task<int> RunAsync(ScenarioSettings settings, bool plain,
        Func<Action<string>, CancellationToken, Task<ITargetCluster>> startTarget, CancellationToken cancellationToken)
    {
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
        await using (cluster)
        {
            await progress.RunAsync(async () =>
                summary = await new ScenarioRunner(settings, cluster, progress).RunAsync(cancellationToken));
            Console.WriteLine("stopping " + cluster.Description);
        }

        var (json, html) = await ReportFiles.WriteAsync(summary!, settings.OutputDirectory);
        ConsoleReport.Write(AnsiConsole.Console, summary!, json, html);
        return settings.FailOnLoss && !summary!.NoLoss ? LossFound : Ok;
    }
}
