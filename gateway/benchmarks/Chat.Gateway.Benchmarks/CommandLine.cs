namespace Chat.Gateway.Benchmarks;

/// <summary>The benchmarks' option parsing: <c>--name N</c>, a positive whole number.</summary>
internal static class CommandLine
{
    public static int PositiveInt(string[] args, string name, int fallback)
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
}
