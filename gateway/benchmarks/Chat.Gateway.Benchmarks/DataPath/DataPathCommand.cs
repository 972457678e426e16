using System.Text.Json;

namespace Chat.Gateway.Benchmarks.DataPath;

/// <summary>The <c>echo</c> command: runs <see cref="DataPathBenchmark"/>, prints the side-by-side table, writes JSON on <c>--json FILE</c>.</summary>
internal static class DataPathCommand
{
    public const string Name = "echo";

    public static async Task RunAsync(string[] args)
    {
        var settings = DataPathSettings.Parse(args);
        var comparison = await DataPathBenchmark.RunAsync(settings, Console.Out);
        Console.WriteLine();
        Print(comparison, Console.Out);
        var json = Array.IndexOf(args, "--json");
        if (json >= 0 && json + 1 < args.Length)
        {
            await File.WriteAllTextAsync(args[json + 1], JsonSerializer.Serialize(comparison, new JsonSerializerOptions { WriteIndented = true }));
        }
    }

    public static void Print(DataPathComparison c, TextWriter output)
    {
        output.WriteLine($"{"WebSocket echo, " + c.Settings.Connections + " conns, " + c.Settings.MessageBytes + " B",-36}{"gateway",12}{"nginx",12}{"gateway/nginx",16}");
        void Row(string label, double g, double n, string format) =>
            output.WriteLine($"{label,-36}{g.ToString(format),12}{n.ToString(format),12}{(n == 0 ? "-" : (g / n).ToString("0.00")),16}");
        var (gw, ng) = (c.Gateway, c.Nginx);
        Row("connection setup (conn/s)", gw.ConnectionsPerSecond, ng.ConnectionsPerSecond, "0");
        Row("messages/s", gw.MessagesPerSecond, ng.MessagesPerSecond, "0");
        Row("round trip p50 (ms)", gw.P50Ms, ng.P50Ms, "0.000");
        Row("round trip p99 (ms)", gw.P99Ms, ng.P99Ms, "0.000");
        Row("round trip mean (ms)", gw.MeanMs, ng.MeanMs, "0.000");
        Row("round trip max (ms)", gw.MaxMs, ng.MaxMs, "0.0");
        Row($"stalls (> {EchoLoad.StallMs:0} ms)", gw.Stalls, ng.Stalls, "0");
        Row("slowest 100 ms (msgs/s)", gw.SlowestTenthRate, ng.SlowestTenthRate, "0");
        Row("proxy CPU per message (µs)", gw.ProxyCpuUs, ng.ProxyCpuUs, "0.0");
        Row("backend CPU per message (µs)", gw.BackendCpuUs, ng.BackendCpuUs, "0.0");
        Row("client CPU per message (µs)", gw.ClientCpuUs, ng.ClientCpuUs, "0.0");
        Row("machine busy", gw.MachineBusy * 100, ng.MachineBusy * 100, "0");
    }
}
