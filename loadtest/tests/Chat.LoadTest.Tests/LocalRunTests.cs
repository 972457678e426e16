namespace Chat.LoadTest.Tests;

/// <summary>
/// The tool against a real local cluster (redis-server and chat replicas as processes on loopback), small and
/// bounded; what is checked is its JSON summary and that it leaves no process behind.
/// </summary>
public sealed class LocalRunTests
{
    [Fact]
    public async Task A_killed_replica_is_seen_and_its_clients_move_through_the_gateway_and_resume_without_loss()
    {
        var (exitCode, summary, output) = await ToolRun.RunAsync(
            "local", "chaos", "--faults", "kill", "--replicas", "2", "--connections", "10", "--rooms", "2",
            "--publish-rate", "4", "--duration", "12s");

        Assert.True(exitCode == 0, output);
        var kill = Assert.Single(summary.Events, e => e.Kind == "kill");
        Assert.Contains("chat-1", kill.Detail);
        Assert.Contains(summary.Events, e => e.Kind == "start" && e.Detail.Contains("chat-1"));

        // After the kill, and before chat-1 is back, every client sits on chat-2.
        var afterKill = summary.Timeline.Where(s => s.Seconds > kill.Seconds).ToArray();
        Assert.Contains(afterKill, s => s.Replicas["chat-1"] == 0 && s.Replicas["chat-2"] == 10);
        Assert.True(summary.Connections.Drops >= 1, output);
        Assert.True(summary.Connections.Reconnects >= 1, output);
        Assert.Equal(10, summary.Connections.Final);
        Assert.True(summary.Messages.Confirmed > 0, output);
        Assert.Equal((0L, 0L, 0L), (summary.Messages.Lost, summary.Messages.Duplicates, summary.Messages.Gaps));
        Assert.Empty(ToolRun.ProcessesOf(summary));
    }

    [Fact]
    public async Task An_injected_gap_is_reported_as_one_gap_and_one_lost_message()
    {
        var (exitCode, summary, output) = await ToolRun.RunAsync(
            "local", "fanout", "--no-gateway", "--replicas", "1", "--connections", "6", "--rooms", "1",
            "--publish-rate", "5", "--duration", "4s", "--inject-gap", "3", "--fail-on-loss");

        Assert.True(exitCode == 3, $"exit code {exitCode}:\n{output}");
        Assert.False(summary.NoLoss);
        Assert.Equal(1, summary.Messages.Gaps);
        Assert.Equal(1, summary.Messages.Lost);
        Assert.Equal(0, summary.Messages.Duplicates);
        Assert.Equal(summary.Messages.ExpectedDeliveries - 1, summary.Messages.Delivered);
        Assert.True(summary.Latency.Count > 0 && summary.Latency.P99Ms > 0, output);
        Assert.Empty(ToolRun.ProcessesOf(summary));
    }

    [Fact]
    public async Task Ctrl_C_ends_the_run_with_a_summary_and_stops_every_process_it_started()
    {
        await using var run = ToolRun.Start(
            "local", "connect", "--no-gateway", "--replicas", "2", "--connections", "6", "--rooms", "2", "--duration", "10m");
        Assert.True(await run.WaitForOutputAsync("phase: holding", TimeSpan.FromSeconds(90)), run.Process.Output);

        run.Interrupt();

        Assert.True(await run.Process.WaitForExitAsync(TimeSpan.FromSeconds(60)), run.Process.Output);
        var summary = run.ReadSummary();
        Assert.True(summary.Cancelled);
        Assert.True(summary.Connections.Peak == 6, run.Process.Output);
        Assert.Equal(["chat-1", "chat-2"], summary.Replicas.Select(r => r.Id));
        Assert.Empty(ToolRun.ProcessesOf(summary));
    }
}
