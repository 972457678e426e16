namespace Chat.Gateway.Benchmarks.DataPath;

/// <summary>The gateway and nginx on the same echo backend in one run: each merged over the rounds, and every round.</summary>
public sealed record DataPathComparison(DataPathSettings Settings, EchoFigures Gateway, EchoFigures Nginx, IReadOnlyList<EchoFigures> Rounds)
{
    /// <summary>Gateway over nginx: messages per second (target ≥ 1.0) and p99 (target ≤ 1.0).</summary>
    public double ThroughputRatio => Gateway.MessagesPerSecond / Nginx.MessagesPerSecond;

    public double P99Ratio => Gateway.P99Ms / Nginx.P99Ms;

    public double SetupRatio => Gateway.ConnectionsPerSecond / Nginx.ConnectionsPerSecond;
}
