using System.Globalization;
using Chat.Testing.Kubernetes.FakeApi;
using Chat.IngressController.Tests.Support;
using Chat.Testing;
using static Chat.IngressController.Tests.Support.Objects;

// Measured against the in-process fake API server with the controller's real client and proxy:
//  1. reconcile time (snapshot, translation, validation, config swap and, after a route change, the rebuild of
//     ASP.NET Core's route matcher: the controller has served a request first) with 1, 100, 1,000 and 10,000 Ingresses,
//     after one Ingress changed and after one EndpointSlice changed (incremental), and after the ConfigMap changed
//     (full: every Ingress translated again), once without changing any setting (YARP then sees equal configs, as
//     the full reconcile of one change did before translation was incremental) and once changing every cluster;
//     each after warm-up rounds;
//  2. delay from an EndpointSlice change (written to the API server) to the first request routed by it, with the
//     default 100 ms debounce (a lone change is applied at once);
//  3. (argument "gateway") the same for the Gateway API: 1,000 HTTPRoutes, and an HTTPRoute change.
// Args: [rounds] [largest Ingress count] [warm-up rounds, default 30] [gateway]; 10,000 gets a third of the rounds and
// of the warm-up (its setup dominates).
var numbers = args.Where(a => int.TryParse(a, CultureInfo.InvariantCulture, out _)).Select(a => int.Parse(a, CultureInfo.InvariantCulture)).ToArray();
var rounds = numbers.Length > 0 ? numbers[0] : 30;
var largest = numbers.Length > 1 ? numbers[1] : 10_000;
var warmup = numbers.Length > 2 ? numbers[2] : 30;
const string DefaultsName = "controller-defaults";
Console.WriteLine($"Chat.IngressController benchmark, {rounds} rounds each after {warmup} warm-up rounds, {Environment.ProcessorCount} cores, {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")} GC");
if (args.Contains("gateway"))
{
    await GatewayApiBenchmark.RunAsync(rounds, Report);
    return;
}

foreach (var ingresses in new[] { 1, 100, 1000, 10_000 }.Where(n => n <= largest))
{
    await ReconcileAsync(ingresses, ingresses >= 10_000 ? Math.Max(3, rounds / 3) : rounds, ingresses >= 10_000 ? warmup / 3 : warmup);
}

await EndpointChangeAsync(rounds);

static async Task ReconcileAsync(int ingresses, int rounds, int warmup)
{
    await using var api = await FakeKubeApiServer.StartAsync();
    api.Apply(IngressClass());
    api.Apply(Defaults(0, changesClusters: false));
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
    var translations = BenchmarkSteps.Time(rounds, () => Chat.IngressController.Translation.IngressTranslator.Translate(state, new Chat.IngressController.Hosting.IngressControllerOptions()));
    Report($"translate, {ingresses,5} Ingresses", translations);

    var samples = await BenchmarkSteps.ReconcileRoundsAsync(api, rounds,
        round => api.Apply(Ingress("ns0", "ing0", "svc0", host: "h0.example.com", annotations: Annotations(round))), warmup);
    Report($"reconcile, one Ingress changed among {ingresses,5}", samples);

    var sliceSamples = await BenchmarkSteps.ReconcileRoundsAsync(api, rounds,
        round => api.Apply(Slice("ns0", "svc0", [(30000 + round, true, true, false)], "svc0-20000")), warmup);
    Report($"reconcile, one EndpointSlice changed among {ingresses,5}", sliceSamples);

    var withConfigMap = new Dictionary<string, string?> { ["IngressController:ConfigMap"] = DefaultsName };
    var touched = await BenchmarkSteps.ReconcileRoundsAsync(api, rounds, round => api.Apply(Defaults(round, changesClusters: false)), warmup, withConfigMap);
    Report($"full reconcile, ConfigMap touched (same settings), {ingresses,5}", touched);
    var changed = await BenchmarkSteps.ReconcileRoundsAsync(api, rounds, round => api.Apply(Defaults(round, changesClusters: true)), warmup, withConfigMap);
    Report($"full reconcile, every cluster changed (ConfigMap),  {ingresses,5}", changed);
}

// Every cluster has the connect timeout of the ConfigMap (the Ingresses do not set one); an annotation changes the object.
static k8s.Models.V1ConfigMap Defaults(int round, bool changesClusters) => new()
{
    Metadata = new k8s.Models.V1ObjectMeta
    {
        Name = DefaultsName, NamespaceProperty = ControllerHost.Namespace,
        Annotations = new Dictionary<string, string> { ["round"] = round.ToString(CultureInfo.InvariantCulture) },
    },
    Data = new Dictionary<string, string> { ["proxy-connect-timeout"] = (changesClusters ? 5 + round : 5).ToString(CultureInfo.InvariantCulture) },
};

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
    var samples = await BenchmarkSteps.ChangeToFirstRoutedAsync(api, a, b, rounds,
        (next, _) => api.Apply(Slice("web", "web", [(next.Port, true, true, false)], "web-1")));
    Report("EndpointSlice change -> first routed request (debounce 100 ms, lone change)", samples);
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
    Console.WriteLine($"{what}: p50 {At(0.5):F2} ms, p90 {At(0.9):F2} ms, p99 {At(0.99):F2} ms, max {samples[^1]:F2} ms (n={samples.Count})");
}
