using System.Diagnostics.Metrics;

namespace Chat.IngressController.Observability;

/// <summary>
/// The controller's own meter. Prometheus names: ingress_controller_reconciles_total,
/// ingress_controller_reconcile_duration_seconds, ingress_controller_config_generation,
/// ingress_controller_watch_restarts_total{kind,reason}, ingress_controller_problems_total, ingress_controller_leader.
/// </summary>
public sealed class ControllerMetrics : IDisposable
{
    public const string MeterName = "Chat.IngressController";

    private readonly Meter _meter;
    private readonly Counter<long> _reconciles;
    private readonly Histogram<double> _reconcileDuration;
    private readonly Counter<long> _watchRestarts;
    private readonly Counter<long> _problems;
    private long _generation;
    private int _leader;

    public ControllerMetrics(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(MeterName);
        _reconciles = _meter.CreateCounter<long>("ingress_controller_reconciles", description: "Translations of the watched objects into proxy config.");
        _reconcileDuration = _meter.CreateHistogram<double>("ingress_controller_reconcile_duration", unit: "s",
            description: "Time to translate and apply one config.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5] });
        _watchRestarts = _meter.CreateCounter<long>("ingress_controller_watch_restarts", description: "Watches restarted, by kind and reason (closed, gone, error, resync).");
        _problems = _meter.CreateCounter<long>("ingress_controller_problems", description: "Invalid annotations and rejected rules reported as Events.");
        _meter.CreateObservableGauge("ingress_controller_config_generation", () => Interlocked.Read(ref _generation), description: "Number of proxy configs applied.");
        _meter.CreateObservableGauge("ingress_controller_leader", () => Volatile.Read(ref _leader), description: "1 while this replica holds the leader Lease.");
    }

    public long Generation => Interlocked.Read(ref _generation);

    public void Reconciled(TimeSpan duration, long generation)
    {
        _reconciles.Add(1);
        _reconcileDuration.Record(duration.TotalSeconds);
        Interlocked.Exchange(ref _generation, generation);
    }

    public void WatchRestarted(string kind, string reason) =>
        _watchRestarts.Add(1, new KeyValuePair<string, object?>("kind", kind), new KeyValuePair<string, object?>("reason", reason));

    public void ProblemReported() => _problems.Add(1);

    public void SetLeader(bool leader) => Volatile.Write(ref _leader, leader ? 1 : 0);

    public void Dispose() => _meter.Dispose();
}
