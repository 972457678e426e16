namespace Chat.Gateway.Benchmarks.DataPath;

/// <summary>
/// The proxies' data path side by side: the gateway and nginx (ingress-nginx's WebSocket proxying) in front of the
/// same WebSocket echo backend, both started once and measured in turn, the first one alternating per round.
/// What is measured is the proxy: the backend is a minimal echo, the client the same for both.
/// </summary>
public static class DataPathBenchmark
{
    public static async Task<DataPathComparison> RunAsync(DataPathSettings settings, TextWriter log)
    {
        await using var backend = await EchoBackendProcess.StartAsync();
        IReadOnlyList<Uri> destinations = [backend.Address];
        await using var gateway = await GatewayUnderTest.StartAsync(destinations);
        await using var nginx = await NginxUnderTest.StartAsync(destinations);
        log.WriteLine($"echo backend {backend.Address}, gateway {gateway.Address}, nginx {nginx.Address}; {settings}");

        foreach (var proxy in new IProxyUnderTest[] { gateway, nginx })
        {
            // Unrecorded: the gateway's JIT tiers up, both proxies' pools fill.
            await MeasureAsync(proxy, backend, settings with { SetupConnections = 200, Seconds = 2, WarmupSeconds = 1 });
        }

        var samples = new Dictionary<string, List<EchoSample>> { [gateway.Name] = [], [nginx.Name] = [] };
        var rounds = new List<EchoFigures>();
        for (var round = 0; round < settings.Rounds; round++)
        {
            IProxyUnderTest[] order = (round % 2 == 0) != settings.NginxFirst ? [gateway, nginx] : [nginx, gateway];
            foreach (var proxy in order)
            {
                var sample = await MeasureAsync(proxy, backend, settings);
                samples[proxy.Name].Add(sample);
                var figures = EchoSample.Merge(proxy.Name, [sample]);
                rounds.Add(figures);
                log.WriteLine($"round {round + 1} {Describe(figures)}");
            }
        }

        return new DataPathComparison(settings, EchoSample.Merge(gateway.Name, samples[gateway.Name]), EchoSample.Merge(nginx.Name, samples[nginx.Name]), rounds);
    }

    public static string Describe(EchoFigures f) =>
        $"{f.Proxy,-8} setup {f.ConnectionsPerSecond,6:0}/s  {f.MessagesPerSecond,7:0} msgs/s  p50 {f.P50Ms:0.000} p99 {f.P99Ms:0.000} mean {f.MeanMs:0.000} max {f.MaxMs:0.0} ms"
        + $"  stalls {f.Stalls}  slowest 100 ms {f.SlowestTenthRate:0}/s  CPU µs/msg proxy {f.ProxyCpuUs:0.0} backend {f.BackendCpuUs:0.0} client {f.ClientCpuUs:0.0}  machine {f.MachineBusy:P0}";

    private static async Task<EchoSample> MeasureAsync(IProxyUnderTest proxy, EchoBackendProcess backend, DataPathSettings settings)
    {
        var load = new EchoLoad(new UriBuilder(proxy.Address) { Scheme = "ws", Path = "/echo" }.Uri);
        var setupRate = await load.SetupRateAsync(settings.SetupConnections, settings.Connections);
        return await load.ClosedLoopAsync(settings.Connections, settings.MessageBytes, TimeSpan.FromSeconds(settings.WarmupSeconds),
            TimeSpan.FromSeconds(settings.Seconds), new CpuProbe(proxy.ProcessId, backend.ProcessId), setupRate);
    }
}
