using Chat.Testing;

namespace Chat.Gateway.Benchmarks;

/// <summary>Chat.Gateway from its build output, fed through its config file.</summary>
internal sealed class GatewayUnderTest(ServiceProcess process, GatewayConfigFile config) : IProxyUnderTest
{
    public string Name => "gateway";

    public Uri Address => process.BaseAddress;

    public int ProcessId => process.Process.Id;

    public static async Task<GatewayUnderTest> StartAsync(IReadOnlyList<Uri> replicas)
    {
        var config = new GatewayConfigFile();
        config.Write(Destinations(replicas));
        var process = await ServiceProcess.StartAsync("gateway", "Chat.Gateway", new Dictionary<string, string?>(OneHostLimits.Gateway)
        {
            ["Gateway:ConfigFile"] = config.Path,
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Proxy:InlineIo"] = Environment.GetEnvironmentVariable("BENCH_GATEWAY_INLINE_IO") ?? "false",
        });
        return new GatewayUnderTest(process, config);
    }

    public async Task SetReplicasAsync(IReadOnlyList<Uri> replicas)
    {
        config.Write(Destinations(replicas));
        await Task.Delay(500); // The file watcher's reload delay.
    }

    public async ValueTask DisposeAsync()
    {
        await process.DisposeAsync();
        config.Dispose();
    }

    private static Dictionary<string, Uri> Destinations(IReadOnlyList<Uri> replicas) =>
        replicas.Select((r, i) => (r, i)).ToDictionary(x => $"r{x.i + 1}", x => x.r);
}
