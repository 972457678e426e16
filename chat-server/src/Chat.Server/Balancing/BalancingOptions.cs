using System.ComponentModel.DataAnnotations;

namespace Chat.Server.Balancing;

/// <summary>The `Balancing` configuration section: load reports, rebalancing and drain; validated at start-up.</summary>
public sealed class BalancingOptions : IValidatableObject
{
    public const string SectionName = "Balancing";

    /// <summary>How often this replica writes its connection count to Redis and reads the others'. Default 1 s.</summary>
    public TimeSpan ReportInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a report lives without refresh; a replica that stops reporting leaves the cluster after it. Default 3 s.</summary>
    public TimeSpan ReportTtl { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// The pool this replica balances in: load reports, fair share and rebalancing count only replicas of the same
    /// pool (see <see cref="Backplane.Redis.RedisLoadStore"/>). Default empty: one pool. In k8s chat-ws is "websocket", chat-http "http".
    /// </summary>
    [RegularExpression("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$|^$", ErrorMessage = "Balancing:Pool must be empty or a DNS label (a-z, 0-9, '-').")]
    public string Pool { get; set; } = "";

    /// <summary>Rebalancing on/off (it also needs Redis: in memory there is one node). Default on.</summary>
    public bool Rebalance { get; set; } = true;

    /// <summary>A replica sheds connections only above fair share × (1 + Tolerance). Default 0.1.</summary>
    [Range(0.0, 10.0)]
    public double Tolerance { get; set; } = 0.1;

    /// <summary>...and only when that is more than this many connections (no churn over a handful). Default 2.</summary>
    [Range(0, 1_000_000)]
    public int MinExcess { get; set; } = 2;

    /// <summary>Rate limit of rebalancing closes, so reconnects do not stampede. Default 50 per second.</summary>
    [Range(1, 100_000)]
    public int MaxClosesPerSecond { get; set; } = 50;

    /// <summary>Pause after a round of closes, while clients reconnect and reports catch up. Default 2 s.</summary>
    public TimeSpan SettleTime { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Wait after a rebalancing round whose closed clients came back, doubled after each further one (see <see cref="RebalanceBackoff"/>). Default 5 s.</summary>
    public TimeSpan FutileBackoff { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Longest wait between rebalancing rounds whose closed clients came back. Default 60 s.</summary>
    public TimeSpan MaxFutileBackoff { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Drain: time between turning not-ready and the first close, so proxies stop sending new clients (skipped when there is none). Default 1.5 s.</summary>
    public TimeSpan DrainDelay { get; set; } = TimeSpan.FromSeconds(1.5);

    /// <summary>Drain: the clients are handed over evenly within this time. Default 4 s.</summary>
    public TimeSpan DrainPeriod { get; set; } = TimeSpan.FromSeconds(4);

    /// <summary>Drain: the whole drain ends after this, even if some clients did not leave. Default 15 s. Shutdown timeout is raised to fit.</summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(15);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (ReportInterval < TimeSpan.FromMilliseconds(100) || ReportInterval > TimeSpan.FromMinutes(1))
        {
            yield return new ValidationResult($"Balancing:ReportInterval must be between 100 ms and 1 min, got {ReportInterval}.");
        }

        if (ReportTtl <= ReportInterval)
        {
            yield return new ValidationResult($"Balancing:ReportTtl ({ReportTtl}) must be longer than Balancing:ReportInterval ({ReportInterval}).");
        }

        if (SettleTime < TimeSpan.Zero || DrainDelay < TimeSpan.Zero || DrainPeriod < TimeSpan.Zero)
        {
            yield return new ValidationResult("Balancing:SettleTime, DrainDelay and DrainPeriod must not be negative.");
        }

        if (FutileBackoff < TimeSpan.Zero || MaxFutileBackoff < FutileBackoff)
        {
            yield return new ValidationResult($"Balancing:FutileBackoff ({FutileBackoff}) must not be negative nor above Balancing:MaxFutileBackoff ({MaxFutileBackoff}).");
        }

        if (DrainTimeout < DrainDelay + DrainPeriod)
        {
            yield return new ValidationResult($"Balancing:DrainTimeout ({DrainTimeout}) must be at least DrainDelay + DrainPeriod ({DrainDelay + DrainPeriod}).");
        }
    }
}
