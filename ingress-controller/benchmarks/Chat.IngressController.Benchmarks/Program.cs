using System.Diagnostics;
using System.Globalization;
using Chat.Testing.Kubernetes.FakeApi;
using Chat.IngressController.Tests.Support;
using Chat.Testing;
using static Chat.IngressController.Tests.Support.Objects;

// Two figures, measured against the in-process fake API server with the controller's real client and proxy:
//  1. reconcile time (snapshot, translation, validation, config swap) with 1, 100 and 1,000 Ingresses;
//  2. delay from an EndpointSlice change (written to the API server) to the first request routed by it.
var rounds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 30;
Console.WriteLine($"Chat.IngressController benchmark, {rounds} rounds each, {Environment.ProcessorCount} cores");

foreach (var ingresses in new[] { 1, 100, 1000 })
{
    await ReconcileAsync(ingresses, rounds);
}

await EndpointChangeAsync(rounds);

static async Task ReconcileAsync(int ingresses, int rounds)
{
    await using var api = await FakeKubeApiServer.StartAsync();
    api.Apply(IngressClass());
    for (var i = 0; i < ingresses; i++)
    {
        var ns = "ns" + (i % 20);
        api.Apply(Service(ns, "svc" + i));
        foreach (var slice in Slices(ns, "svc" + i, [(10000 + i, true, true, false), (20000 + i, true, true, false)]))
        {
            api.Apply(slice);
        }

        api.Apply(Ingress(ns, "ing" + i, "svc" + i, host: $"h{i}.example.com", annotations: Annotations(0)));
    }

    // The pure translation alone, on the same objects.
    var objects = new List<object>();
    objects.AddRange(api.All<k8s.Models.V1IngressClass>("networking.k8s.io", "ingressclasses"));
    objects.AddRange(api.All<k8s.Models.V1Ingress>("networking.k8s.io", "ingresses"));
    objects.AddRange(api.All<k8s.Models.V1Service>("", "services"));
    objects.AddRange(api.All<k8s.Models.V1EndpointSlice>("discovery.k8s.io", "endpointslices"));
    var state = Chat.IngressController.Translation.ClusterState.From(objects);
    var translations = new List<double>();
    for (var round = 0; round < rounds; round++)
    {
        var watch = Stopwatch.StartNew();
        Chat.IngressController.Translation.IngressTranslator.Translate(state, new Chat.IngressController.Hosting.IngressControllerOptions());
        translations.Add(watch.Elapsed.TotalMilliseconds);
    }

    Report($"translate, {ingresses,5} Ingresses", translations);

    await using var controller = await ControllerHost.StartAsync(api, settings: new Dictionary<string, string?> { ["IngressController:DebounceMilliseconds"] = "0" });
    if (!await Eventually.TrueAsync(() => controller.Applier.Ready, TimeSpan.FromSeconds(60)))
    {
        throw new InvalidOperationException("controller not ready");
    }

    var samples = new List<double>();
    for (var round = 1; round <= rounds; round++)
    {
        var generation = controller.Applier.Generation;
        api.Apply(Ingress("ns0", "ing0", "svc0", host: "h0.example.com", annotations: Annotations(round)));
        if (!await controller.AppliedAfterAsync(generation, TimeSpan.FromSeconds(30)))
        {
            throw new InvalidOperationException("reconcile did not happen");
        }

        samples.Add(controller.Applier.LastReconcileDuration.TotalMilliseconds);
    }

    Report($"reconcile, {ingresses,5} Ingresses", samples);
}

static async Task EndpointChangeAsync(int rounds)
{
    await using var a = await EchoBackend.StartAsync("a");
    await using var b = await EchoBackend.StartAsync("b");
    await using var api = await FakeKubeApiServer.StartAsync();
    api.Apply(IngressClass());
    api.Apply(Service("web", "web"));
    api.Apply(Slice("web", "web", [(a.Port, true, true, false)], "web-1"));
    api.Apply(Ingress("web", "web", "web"));
    // Default settings (100 ms debounce), as deployed.
    await using var controller = await ControllerHost.StartAsync(api, settings: new Dictionary<string, string?> { ["IngressController:DebounceMilliseconds"] = "100" });
    using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
    if (!await Eventually.TrueAsync(async () => (await http.GetStringAsync(controller.Http)).StartsWith('a'), TimeSpan.FromSeconds(30)))
    {
        throw new InvalidOperationException("controller not serving");
    }

    var samples = new List<double>();
    for (var round = 0; round < rounds; round++)
    {
        var next = round % 2 == 0 ? b : a;
        var watch = Stopwatch.StartNew();
        api.Apply(Slice("web", "web", [(next.Port, true, true, false)], "web-1"));
        while (!(await http.GetStringAsync(controller.Http)).StartsWith(next.Name, StringComparison.Ordinal))
        {
            if (watch.Elapsed > TimeSpan.FromSeconds(10))
            {
                throw new InvalidOperationException("change not followed");
            }
        }

        samples.Add(watch.Elapsed.TotalMilliseconds);
    }

    Report("EndpointSlice change -> first routed request (debounce 100 ms)", samples);
}

static Dictionary<string, string> Annotations(int round) => new()
{
    ["nginx.ingress.kubernetes.io/proxy-read-timeout"] = (1200 + round).ToString(CultureInfo.InvariantCulture),
    ["nginx.ingress.kubernetes.io/load-balance"] = "least_conn",
};

static void Report(string what, List<double> samples)
{
    samples.Sort();
    double At(double q) => samples[Math.Min(samples.Count - 1, (int)(q * samples.Count))];
    Console.WriteLine($"{what}: p50 {At(0.5):F2} ms, p90 {At(0.9):F2} ms, max {samples[^1]:F2} ms (n={samples.Count})");
}
