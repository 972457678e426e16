using Chat.LoadTest.Reports;

namespace Chat.LoadTest.Tests;

/// <summary>Two generator processes against one local cluster: their summaries and the merged one add up.</summary>
public sealed class GeneratorRunTests
{
    [Fact]
    public async Task Two_generators_share_a_run_and_the_merged_summary_counts_every_message_delivered_once()
    {
        await using var run = ToolRun.Start(
            "local", "fanout", "--replicas", "2", "--generators", "2", "--connections", "12", "--rooms", "4",
            "--publish-rate", "2", "--duration", "6s", "--source-addresses", "127.0.0.1-127.0.0.4", "--fail-on-loss");
        Assert.True(await run.Process.WaitForExitAsync(TimeSpan.FromSeconds(150)), "the tool did not finish in time:\n" + run.Process.Output);
        var output = run.Process.Output;
        Assert.True(run.Process.ExitCode == 0, $"exit code {run.Process.ExitCode}:\n{output}");
        var summary = run.ReadSummary();
        Assert.Equal(2, summary.Generators!.Count);
        Assert.Null(summary.Generators.Index);

        var parts = new[] { 0, 1 }.Select(i => System.Text.Json.JsonSerializer.Deserialize<RunSummary>(
            File.ReadAllText(Path.Combine(run.Directory, $"generator-{i}", "summary.json")), ReportFiles.Json)!).ToArray();
        Assert.Equal([0, 1], parts.Select(p => p.Generators!.Index!.Value));
        Assert.All(parts, p => Assert.Equal(6, p.Connections.Target));

        Assert.Equal(12, summary.Connections.Target);
        Assert.Equal(12, summary.Connections.Final);
        Assert.Equal(12, summary.Replicas.Sum(r => r.Final));
        Assert.Equal(12, summary.Settings.SignalRClients + summary.Settings.StompClients);
        Assert.True(summary.Messages.Confirmed > 0, output);
        Assert.Equal(parts.Sum(p => p.Messages.Confirmed), summary.Messages.Confirmed);
        Assert.Equal(parts.Sum(p => p.Messages.Delivered), summary.Messages.Delivered);
        Assert.Equal(summary.Messages.ExpectedDeliveries, summary.Messages.Delivered);
        Assert.Equal(summary.Messages.Confirmed * 3, summary.Messages.ExpectedDeliveries); // 3 members per room
        Assert.Equal((0L, 0L, 0L), (summary.Messages.Lost, summary.Messages.Duplicates, summary.Messages.Gaps));
        Assert.Equal(summary.Messages.Delivered, summary.Latency.Count);
        Assert.Equal(parts.Sum(p => p.Latency.Count), summary.Latency.Count);
        Assert.Empty(ToolRun.ProcessesOf(summary));
    }
}
