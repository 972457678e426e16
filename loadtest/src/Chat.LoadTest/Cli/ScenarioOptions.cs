using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Net;
using Chat.LoadTest.Scenarios;

namespace Chat.LoadTest.Cli;

/// <summary>The options every scenario command has, with that scenario's defaults, and their binding to <see cref="ScenarioSettings"/>.</summary>
public sealed class ScenarioOptions
{
    public ScenarioOptions(ScenarioKind kind)
    {
        Kind = kind;
        var defaults = ScenarioDefaults.For(kind);
        Connections = new("--connections", "-c") { Description = "Clients, one connection each", DefaultValueFactory = _ => defaults.Connections };
        Rooms = new("--rooms") { Description = "Rooms; client i joins room i mod rooms", DefaultValueFactory = _ => defaults.Rooms };
        Members = new("--members") { Description = "Members per room (sets --connections to rooms × members)" };
        ConnectRate = new("--connect-rate") { Description = "New connections per second", DefaultValueFactory = _ => defaults.ConnectRate };
        PublishRate = new("--publish-rate") { Description = "Messages per second per room while holding (0: none)", DefaultValueFactory = _ => defaults.PublishRate };
        Duration = new("--duration", "-d")
        {
            Description = "How long to hold the connections: 90, 30s, 5m, 2h (at most 48h)",
            DefaultValueFactory = _ => defaults.Duration,
            CustomParser = ParseDuration,
        };
        StompRatio = new("--stomp-ratio") { Description = "Share of clients on STOMP (0..1); the others use SignalR", DefaultValueFactory = _ => 0.5 };
        SampleInterval = new("--sample-interval")
        {
            Description = "Timeline resolution",
            DefaultValueFactory = _ => defaults.SampleInterval,
            CustomParser = ParseDuration,
        };
        Output = new("--out", "-o") { Description = "Folder for summary.json and report.html (default $TMPDIR/chat-loadtest/<scenario>-<time>)" };
        Plain = new("--plain") { Description = "Plain progress lines instead of the live table (automatic when output is redirected)" };
        FailOnLoss = new("--fail-on-loss") { Description = "Exit with 3 when a message was lost, duplicated or missing" };
        InjectGap = new("--inject-gap") { Description = "Testing the checker: client 0 drops its n-th pushed message", Hidden = true };
        SourceAddresses = new("--source-addresses")
        {
            Description = "Local addresses the clients connect from, in turn: a range (127.0.0.1-127.0.0.8) or a list (10.0.0.5,10.0.0.6); each brings its own ephemeral ports",
            CustomParser = ParseSourceAddresses,
        };
        Generators = new("--generators")
        {
            Description = "Generator processes sharing the run (whole rooms each); without --generator-index this process starts the others and merges their summaries",
            DefaultValueFactory = _ => 1,
        };
        GeneratorIndex = new("--generator-index")
        {
            Description = "Run only generator i of --generators (0-based; default $JOB_COMPLETION_INDEX in a Kubernetes Indexed Job)",
            DefaultValueFactory = _ => int.TryParse(Environment.GetEnvironmentVariable("JOB_COMPLETION_INDEX"), NumberStyles.None, CultureInfo.InvariantCulture, out var i) ? i : null,
        };
        RunId = new("--run-id") { Description = "Names the run's rooms and users; generators of one run need the same (letters and digits)" };
        StartAt = new("--start-at")
        {
            Description = "When to begin connecting (ISO 8601 time, or Unix seconds), so that generators start together",
            CustomParser = ParseStartAt,
        };
        AddReplicas = new("--add-replicas") { Description = "Replicas started a third into the hold phase", DefaultValueFactory = _ => defaults.AddReplicas };
    }

    public ScenarioKind Kind { get; }

    public Option<int> Connections { get; }

    public Option<int> Rooms { get; }

    public Option<int?> Members { get; }

    public Option<double> ConnectRate { get; }

    public Option<double> PublishRate { get; }

    public Option<TimeSpan> Duration { get; }

    public Option<double> StompRatio { get; }

    public Option<TimeSpan> SampleInterval { get; }

    public Option<string?> Output { get; }

    public Option<bool> Plain { get; }

    public Option<bool> FailOnLoss { get; }

    public Option<long?> InjectGap { get; }

    public Option<int> AddReplicas { get; }

    public Option<IReadOnlyList<IPAddress>?> SourceAddresses { get; }

    public Option<int> Generators { get; }

    public Option<int?> GeneratorIndex { get; }

    public Option<string?> RunId { get; }

    public Option<DateTimeOffset?> StartAt { get; }

    /// <summary>Several generators and no index: this process starts the others and merges their summaries.</summary>
    public bool Coordinates(ParseResult result) => result.GetValue(Generators) > 1 && result.GetValue(GeneratorIndex) is null;

    public void AddTo(Command command)
    {
        command.Add(Connections);
        command.Add(Rooms);
        command.Add(Members);
        command.Add(ConnectRate);
        command.Add(PublishRate);
        command.Add(Duration);
        command.Add(StompRatio);
        command.Add(SampleInterval);
        command.Add(Output);
        command.Add(Plain);
        command.Add(FailOnLoss);
        command.Add(InjectGap);
        command.Add(SourceAddresses);
        command.Add(Generators);
        command.Add(GeneratorIndex);
        command.Add(RunId);
        command.Add(StartAt);
    }

    public ScenarioSettings Bind(ParseResult result, IReadOnlyList<string> exec)
    {
        var rooms = result.GetValue(Rooms);
        var members = result.GetValue(Members);
        return new ScenarioSettings
        {
            Kind = Kind,
            Connections = members is { } m ? m * rooms : result.GetValue(Connections),
            Rooms = rooms,
            ConnectRate = result.GetValue(ConnectRate),
            PublishRate = result.GetValue(PublishRate),
            Duration = result.GetValue(Duration),
            StompRatio = result.GetValue(StompRatio),
            SampleInterval = result.GetValue(SampleInterval),
            AddReplicas = Kind == ScenarioKind.ScaleOut ? result.GetValue(AddReplicas) : 0,
            Exec = exec,
            InjectGap = result.GetValue(InjectGap),
            FailOnLoss = result.GetValue(FailOnLoss),
            SourceAddresses = result.GetValue(SourceAddresses) ?? [],
            Generator = new GeneratorShare(result.GetValue(GeneratorIndex) ?? 0, result.GetValue(Generators)),
            RunId = result.GetValue(RunId),
            StartAt = result.GetValue(StartAt),
            OutputDirectory = result.GetValue(Output)
                ?? Path.Combine(Path.GetTempPath(), "chat-loadtest", $"{Kind.Name()}-{DateTime.UtcNow:yyyyMMdd-HHmmss}"),
        };
    }

    private static IReadOnlyList<IPAddress>? ParseSourceAddresses(ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        if (Clients.SourceAddresses.TryParse(text, out var addresses, out var error))
        {
            return addresses;
        }

        result.AddError($"--source-addresses: {error}.");
        return null;
    }

    private static DateTimeOffset? ParseStartAt(ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var unixSeconds))
        {
            return DateTimeOffset.FromUnixTimeSeconds(unixSeconds);
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
        {
            return time;
        }

        result.AddError($"--start-at: '{text}' is neither an ISO 8601 time nor Unix seconds.");
        return null;
    }

    private static TimeSpan ParseDuration(ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        if (DurationParser.TryParse(text, out var duration))
        {
            return duration;
        }

        result.AddError($"'{text}' is not a duration; use e.g. 90, 30s, 5m, 2h or 1h30m.");
        return TimeSpan.Zero;
    }
}
