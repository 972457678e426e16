using System.Net;

namespace Chat.LoadTest.Scenarios;

/// <summary>One run's parameters, from the command line; every count and duration is bounded.</summary>
public sealed record ScenarioSettings
{
    public static readonly TimeSpan MaxDuration = TimeSpan.FromHours(48);

    public required ScenarioKind Kind { get; init; }

    /// <summary>Clients, one connection each; client i is in room i mod <see cref="Rooms"/>.</summary>
    public required int Connections { get; init; }

    public required int Rooms { get; init; }

    /// <summary>New connections per second while connecting.</summary>
    public required double ConnectRate { get; init; }

    /// <summary>Messages per second per room while holding (0: none).</summary>
    public required double PublishRate { get; init; }

    /// <summary>How long connections are held (and messages published) once all are open.</summary>
    public required TimeSpan Duration { get; init; }

    /// <summary>Share of clients on STOMP; the rest use SignalR.</summary>
    public required double StompRatio { get; init; }

    public TimeSpan SampleInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>scale-out (local): replicas started a third into the hold phase.</summary>
    public int AddReplicas { get; init; }

    /// <summary>chaos (local): which faults to inject.</summary>
    public ChaosFaults Faults { get; init; } = ChaosFaults.All;

    /// <summary>Remote targets: shell commands run during the hold phase, evenly spaced (kubectl scale, delete pod).</summary>
    public IReadOnlyList<string> Exec { get; init; } = [];

    /// <summary>Tests: client 0 drops its n-th pushed chat message, which must show as a gap and a loss.</summary>
    public long? InjectGap { get; init; }

    /// <summary>Exit with 3 when anything was lost, duplicated or missing.</summary>
    public bool FailOnLoss { get; init; }

    /// <summary>Where summary.json and report.html go.</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>Local addresses the clients bind to, in turn (empty: the system picks).</summary>
    public IReadOnlyList<IPAddress> SourceAddresses { get; init; } = [];

    /// <summary>This process's part when several generators share the run.</summary>
    public GeneratorShare Generator { get; init; } = GeneratorShare.Single;

    /// <summary>Names rooms and users; generators of one run share it (null: a new one).</summary>
    public string? RunId { get; init; }

    /// <summary>When connecting begins, so that generators start together (null: now).</summary>
    public DateTimeOffset? StartAt { get; init; }

    public int MembersPerRoom => (Connections + Rooms - 1) / Rooms;

    public IEnumerable<string> Problems()
    {
        if (Connections is < 1 or > 200_000)
        {
            yield return $"connections must be between 1 and 200000 (was {Connections})";
        }

        if (Rooms < 1 || Rooms > Connections)
        {
            yield return $"rooms must be between 1 and the number of connections (was {Rooms} for {Connections})";
        }

        if (ConnectRate is <= 0 or > 10_000)
        {
            yield return $"connect rate must be in (0, 10000] per second (was {ConnectRate})";
        }

        if (PublishRate is < 0 or > 10_000)
        {
            yield return $"publish rate must be in [0, 10000] per second per room (was {PublishRate})";
        }

        if (Duration <= TimeSpan.Zero || Duration > MaxDuration)
        {
            yield return $"duration must be positive and at most {MaxDuration.TotalHours} h (was {Duration})";
        }

        if (StompRatio is < 0 or > 1)
        {
            yield return $"stomp ratio must be between 0 and 1 (was {StompRatio})";
        }

        if (SampleInterval < TimeSpan.FromMilliseconds(100) || SampleInterval > TimeSpan.FromMinutes(5))
        {
            yield return $"sample interval must be between 100 ms and 5 min (was {SampleInterval})";
        }

        if (Generator.Count is < 1 or > GeneratorShare.MaxCount || Generator.Index < 0 || Generator.Index >= Generator.Count)
        {
            yield return $"generators must be between 1 and {GeneratorShare.MaxCount} and the generator index between 0 and generators - 1 (was index {Generator.Index} of {Generator.Count})";
        }
        else if (Generator.Count > Rooms)
        {
            yield return $"generators split whole rooms: at most one generator per room (was {Generator.Count} generators for {Rooms} rooms)";
        }

        if (RunId is { } runId && (runId.Length is < 1 or > 32 || !runId.All(char.IsAsciiLetterOrDigit)))
        {
            yield return $"run id must be 1 to 32 letters or digits (was '{runId}')";
        }

        if (AddReplicas is < 0 or > 16)
        {
            yield return $"add-replicas must be between 0 and 16 (was {AddReplicas})";
        }
    }
}
