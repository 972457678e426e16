using Chat.LoadTest.Scenarios;

namespace Chat.LoadTest.Reports;

/// <summary>
/// Everything a run found, written as summary.json (camelCase) for CI and for comparing runs, and rendered
/// as the console table and the HTML report.
/// </summary>
public sealed record RunSummary(
    string Scenario,
    string Target,
    DateTimeOffset StartedAt,
    double DurationSeconds,
    bool Cancelled,
    SettingsSummary Settings,
    ConnectionSummary Connections,
    IReadOnlyList<ReplicaSummary> Replicas,
    BalanceSummary Balance,
    MessageSummary Messages,
    LatencySummary Latency,
    MemorySummary? Memory,
    IReadOnlyDictionary<string, long> Errors,
    IReadOnlyList<RunEvent> Events,
    IReadOnlyList<TimelineSample> Timeline,
    GeneratorSummary? Generators = null,
    SummaryHistograms? Histograms = null)
{
    /// <summary>Nothing lost, duplicated or missing from any client's sequence.</summary>
    public bool NoLoss => Messages is { Lost: 0, Duplicates: 0, Gaps: 0 };
}

public sealed record SettingsSummary(
    int Connections,
    int Rooms,
    int MembersPerRoom,
    double ConnectRate,
    double PublishRatePerRoom,
    double HoldSeconds,
    double StompRatio,
    int SignalRClients,
    int StompClients,
    int AddReplicas,
    long? InjectGap);

public sealed record ConnectionSummary(
    int Target,
    int Peak,
    int Final,
    long Connects,
    long Failures,
    long Reconnects,
    long RebalanceCloses,
    long Drops,
    double? ConnectP50Ms,
    double? ConnectP99Ms);

/// <summary>One replica as the clients saw it: how many were on it, and whether it was running at the end.</summary>
public sealed record ReplicaSummary(string Id, int Final, int Peak, double MeanWhileHolding, bool Running, double? PeakMemoryMb);

/// <summary>Connections per live replica at the end of the hold phase; max/mean is 1.0 when perfectly even.</summary>
public sealed record BalanceSummary(int Replicas, int Max, int Min, double Mean, double MaxOverMean, double StdDev);

public sealed record MessageSummary(
    long Published,
    long Confirmed,
    long Unconfirmed,
    long SendFailures,
    long Delivered,
    long ExpectedDeliveries,
    long Lost,
    long Duplicates,
    long Gaps,
    double DeliveredPerSecond,
    double PeakDeliveredPerSecond,
    IReadOnlyDictionary<string, ProtocolMessages> ByProtocol,
    IReadOnlyList<string> GapSamples);

/// <summary>What the receivers of one protocol missed or got twice.</summary>
public sealed record ProtocolMessages(int Clients, long Lost, long Duplicates, long Gaps);

public sealed record LatencySummary(
    long Count,
    double? P50Ms,
    double? P90Ms,
    double? P99Ms,
    double? P999Ms,
    double? MaxMs,
    double? MeanMs,
    IReadOnlyList<PercentilePoint> Distribution);

public sealed record PercentilePoint(double Percentile, double Ms);

/// <summary>Chat replicas' resident memory idle and with the peak number of connections (local mode only).</summary>
public sealed record MemorySummary(
    int Connections,
    double ReplicasIdleMb,
    double ReplicasLoadedMb,
    double? KilobytesPerConnection,
    double? ConnectionsPerGb,
    double ToolMb);

/// <summary>How many generator processes made this run; Index is null for a summary merged from all of them.</summary>
public sealed record GeneratorSummary(int? Index, int Count);

/// <summary>The latency histograms as [microseconds, count] pairs, so that generators' summaries merge exactly.</summary>
public sealed record SummaryHistograms(IReadOnlyList<long[]> DeliveryMicroseconds, IReadOnlyList<long[]> ConnectMicroseconds);
