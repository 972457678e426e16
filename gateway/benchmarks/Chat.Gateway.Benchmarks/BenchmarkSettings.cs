namespace Chat.Gateway.Benchmarks;

/// <summary>Command-line settings: --clients N --pingers N --seconds N --watch N [--no-rebalance] [--nginx-first].</summary>
internal sealed record BenchmarkSettings(int Clients, int Pingers, int Seconds, int WatchSeconds, bool Rebalance, bool NginxFirst)
{
    public static BenchmarkSettings Parse(string[] args)
    {
        int Value(string name, int fallback)
        {
            var index = Array.IndexOf(args, name);
            if (index < 0)
            {
                return fallback;
            }

            return index + 1 < args.Length && int.TryParse(args[index + 1], out var value) && value > 0
                ? value
                : throw new ArgumentException($"{name} needs a positive whole number.");
        }

        var settings = new BenchmarkSettings(Value("--clients", 400), Value("--pingers", 40), Value("--seconds", 15), Value("--watch", 30), !args.Contains("--no-rebalance"), args.Contains("--nginx-first"));
        return settings.Pingers > settings.Clients ? throw new ArgumentException("--pingers must not exceed --clients.") : settings;
    }
}
