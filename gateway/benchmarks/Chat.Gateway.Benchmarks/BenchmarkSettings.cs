namespace Chat.Gateway.Benchmarks;

/// <summary>Command-line settings: --clients N --pingers N --seconds N --watch N [--no-rebalance] [--nginx-first].</summary>
internal sealed record BenchmarkSettings(int Clients, int Pingers, int Seconds, int WatchSeconds, bool Rebalance, bool NginxFirst)
{
    public static BenchmarkSettings Parse(string[] args)
    {
        int Value(string name, int fallback) => CommandLine.PositiveInt(args, name, fallback);

        var settings = new BenchmarkSettings(Value("--clients", 400), Value("--pingers", 40), Value("--seconds", 15), Value("--watch", 30), !args.Contains("--no-rebalance"), args.Contains("--nginx-first"));
        return settings.Pingers > settings.Clients ? throw new ArgumentException("--pingers must not exceed --clients.") : settings;
    }
}
