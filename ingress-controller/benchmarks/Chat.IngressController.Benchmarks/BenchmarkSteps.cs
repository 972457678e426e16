using System.Diagnostics;
using Chat.IngressController.Tests.Support;
using Chat.Testing;
using Chat.Testing.Kubernetes.FakeApi;

/// <summary>The measuring loops the Ingress and the Gateway API benchmarks share.</summary>
public static class BenchmarkSteps
{
    /// <summary>Milliseconds of each of <paramref name="rounds"/> runs of a synchronous step.</summary>
    public static List<double> Time(int rounds, Action step)
    {
        var samples = new List<double>();
        for (var round = 0; round < rounds; round++)
        {
            var watch = Stopwatch.StartNew();
            step();
            samples.Add(watch.Elapsed.TotalMilliseconds);
        }

        return samples;
    }

    /// <summary>
    /// A controller without debounce, serving; per round, one change written and the reconcile it causes timed by the
    /// controller. The first <paramref name="warmup"/> rounds are not counted: a long-running controller's reconcile
    /// code has been through the JIT's tiers, a fresh one's has not.
    /// </summary>
    public static async Task<List<double>> ReconcileRoundsAsync(FakeKubeApiServer api, int rounds, Action<int> change, int warmup = 0,
        IDictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>()) { ["IngressController:DebounceMilliseconds"] = "0" };
        await using var controller = await ControllerHost.StartAsync(api, settings: all);
        if (!await Eventually.TrueAsync(() => controller.Applier.Ready, TimeSpan.FromSeconds(60)))
        {
            throw new InvalidOperationException("controller not ready");
        }

        // A serving controller: ASP.NET Core builds its route matcher at the first request and again after every
        // route change, within the swap. Without a request first, a route change would be timed without that.
        using (var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) })
        using (var request = new HttpRequestMessage(HttpMethod.Get, controller.Http) { Headers = { Host = "unrouted.example.com" } })
        using (var response = await http.SendAsync(request))
        {
            if (response.StatusCode != System.Net.HttpStatusCode.NotFound)
            {
                throw new InvalidOperationException($"an unrouted host got {(int)response.StatusCode}, not 404");
            }
        }

        var samples = new List<double>();
        for (var round = 1; round <= warmup + rounds; round++)
        {
            var generation = controller.Applier.Generation;
            change(round);
            if (!await controller.AppliedAfterAsync(generation, TimeSpan.FromSeconds(30)))
            {
                throw new InvalidOperationException("reconcile did not happen");
            }

            if (round > warmup)
            {
                samples.Add(controller.Applier.LastReconcileDuration.TotalMilliseconds);
            }
        }

        return samples;
    }

    /// <summary>
    /// A controller with the deployed 100 ms debounce, serving backend a; per round, after a quiet spell, a lone change
    /// written that moves "/" to the other backend, timed until the first request answered by it.
    /// </summary>
    public static async Task<List<double>> ChangeToFirstRoutedAsync(FakeKubeApiServer api, EchoBackend a, EchoBackend b, int rounds, Action<EchoBackend, int> change)
    {
        await using var controller = await ControllerHost.StartAsync(api, settings: new Dictionary<string, string?> { ["IngressController:DebounceMilliseconds"] = "100" });
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        if (!await Eventually.TrueAsync(async () => (await http.GetStringAsync(controller.Http)).StartsWith(a.Name, StringComparison.Ordinal), TimeSpan.FromSeconds(30)))
        {
            throw new InvalidOperationException("controller not serving");
        }

        var samples = new List<double>();
        for (var round = 0; round < rounds; round++)
        {
            var next = round % 2 == 0 ? b : a;
            await Task.Delay(250); // Quiet for more than the debounce window: a lone change, not part of a burst.
            var watch = Stopwatch.StartNew();
            change(next, round + 1);
            while (!(await http.GetStringAsync(controller.Http)).StartsWith(next.Name, StringComparison.Ordinal))
            {
                if (watch.Elapsed > TimeSpan.FromSeconds(10))
                {
                    throw new InvalidOperationException("change not followed");
                }
            }

            samples.Add(watch.Elapsed.TotalMilliseconds);
        }

        return samples;
    }
}
