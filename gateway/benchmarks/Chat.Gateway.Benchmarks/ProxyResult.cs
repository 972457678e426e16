namespace Chat.Gateway.Benchmarks;

/// <summary>What one proxy achieved in front of the same chat replicas.</summary>
internal sealed record ProxyResult(
    string Proxy,
    double ConnectionsPerSecond,
    double P50Ms,
    double P99Ms,
    double MessagesPerSecond,
    IReadOnlyList<(double Seconds, double MaxOverMean, string Counts)> BalanceAfterScaleOut,
    double? SecondsToBalanced,
    int Reconnects);
