namespace Chat.Gateway.Benchmarks.DataPath;

/// <summary>
/// The data-path benchmark's shape: <see cref="Connections"/> WebSockets doing closed-loop round trips of
/// <see cref="MessageBytes"/>, recorded for <see cref="Seconds"/> after <see cref="WarmupSeconds"/>; before that,
/// <see cref="SetupConnections"/> WebSocket handshakes (as many at a time as <see cref="Connections"/>). Each of
/// <see cref="Rounds"/> rounds measures both proxies, the first one alternating from round to round.
/// </summary>
public sealed record DataPathSettings(
    int Connections = 50,
    int MessageBytes = 100,
    int Seconds = 10,
    int WarmupSeconds = 3,
    int SetupConnections = 1000,
    int Rounds = 2,
    bool NginxFirst = false)
{
    /// <summary>--connections N --bytes N --seconds N --warmup N --setup N --rounds N [--nginx-first].</summary>
    public static DataPathSettings Parse(string[] args)
    {
        int Value(string name, int fallback) => CommandLine.PositiveInt(args, name, fallback);

        var defaults = new DataPathSettings();
        return new DataPathSettings(
            Value("--connections", defaults.Connections),
            Value("--bytes", defaults.MessageBytes),
            Value("--seconds", defaults.Seconds),
            Value("--warmup", defaults.WarmupSeconds),
            Value("--setup", defaults.SetupConnections),
            Value("--rounds", defaults.Rounds),
            args.Contains("--nginx-first"));
    }
}
