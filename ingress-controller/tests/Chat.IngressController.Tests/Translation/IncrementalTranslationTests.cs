using Chat.IngressController.Translation;
using k8s;
using k8s.Models;
using static Chat.IngressController.Tests.Support.Objects;

namespace Chat.IngressController.Tests.Translation;

/// <summary>
/// The reconcile loop keeps one <see cref="IngressTranslator"/> and feeds it snapshots in which unchanged objects are
/// the same instances (as the informers keep them): its results must equal translations from scratch, and what did
/// not change must stay the same instances (so the proxy leaves those routes and clusters alone).
/// </summary>
public sealed class IncrementalTranslationTests
{
    private static readonly DateTimeOffset Start = DateTimeOffset.Parse("2026-01-01T00:00:00Z");

    private readonly Dictionary<string, object> _objects = [];
    private IDictionary<string, string>? _configMap;
    private Dictionary<string, DateTimeOffset> _draining = [];
    private DateTimeOffset _now = Start;
    private ClusterState? _previous;

    [Fact]
    public void After_each_of_a_burst_of_single_changes_the_result_equals_a_translation_from_scratch()
    {
        Put(IngressClass());
        for (var i = 0; i < 12; i++)
        {
            Put(Service("ns" + (i % 3), "svc" + i));
            foreach (var slice in Slices("ns" + (i % 3), "svc" + i, [(10000 + i, true, true, false), (20000 + i, true, true, false)]))
            {
                Put(slice);
            }

            Put(Created(Ingress("ns" + (i % 3), "ing" + i, "svc" + i, host: $"h{i}.example.com"), i));
        }

        // Same host and path as ing1, younger: loses the rule until ing1 goes.
        Put(Created(Ingress("ns1", "late", "svc1", host: "h1.example.com"), 100));
        Put(WithTls(Created(Ingress("ns0", "tls", "svc0", host: "secure.example.com"), 50), "secure.example.com", "cert"));

        var incremental = new IngressTranslator();
        var changes = new List<(string What, Action Change)>
        {
            ("nothing", () => { }),
            ("an annotation", () => Put(Created(Ingress("ns2", "ing2", "svc2", host: "h2.example.com",
                annotations: new Dictionary<string, string> { ["nginx.ingress.kubernetes.io/proxy-read-timeout"] = "1200" }), 2))),
            ("an annotation of the Ingress that loses its rule", () => Put(Created(Ingress("ns1", "late", "svc1", host: "h1.example.com",
                annotations: new Dictionary<string, string> { ["nginx.ingress.kubernetes.io/proxy-send-timeout"] = "300" }), 100))),
            ("an EndpointSlice", () => Put(Slice("ns0", "svc3", [(30003, true, true, false)], "svc3-20003"))),
            ("an endpoint starts draining", () => Put(Slice("ns1", "svc4", [(20004, false, true, true)], "svc4-20004"))),
            ("the drain time passes", () => _now = Start.AddMinutes(10)),
            ("the TLS Secret appears", () => Put(new V1Secret
            {
                Metadata = new V1ObjectMeta { Name = "cert", NamespaceProperty = "ns0" },
                Type = "kubernetes.io/tls",
                Data = new Dictionary<string, byte[]> { ["tls.crt"] = [1], ["tls.key"] = [2] },
            })),
            ("the older of two conflicting Ingresses goes", () => Remove(Ingress("ns1", "ing1", "svc1"))),
            ("a Service goes", () => Remove(Service("ns2", "svc5"))),
            ("an Ingress moves to another class", () => Put(Created(Ingress("ns0", "ing6", "svc6", host: "h6.example.com", className: "other"), 6))),
            ("the ConfigMap defaults change", () => _configMap = new Dictionary<string, string> { ["proxy-read-timeout"] = "90" }),
            ("a path becomes invalid", () => Put(Created(Ingress("ns1", "ing7", "svc7", host: "h7.example.com", path: "no-slash"), 7))),
            ("an Ingress comes back older than the one that took its rule", () => Put(Created(Ingress("ns1", "ing1", "svc1", host: "h1.example.com"), 1))),
        };

        foreach (var (what, change) in changes)
        {
            change();
            var state = State();
            var next = incremental.Next(state, TranslationFixture.Options);
            var scratch = IngressTranslator.Translate(state, TranslationFixture.Options);

            Assert.True(scratch.Routes.SequenceEqual(next.Routes), $"routes after {what}");
            Assert.True(scratch.Clusters.SequenceEqual(next.Clusters), $"clusters after {what}");
            Assert.True(scratch.Tls.SequenceEqual(next.Tls), $"TLS after {what}");
            Assert.True(scratch.Problems.SequenceEqual(next.Problems), $"problems after {what}: {string.Join("; ", next.Problems.Select(p => p.Reason))}");
            Assert.True(scratch.OwnIngresses.SequenceEqual(next.OwnIngresses), $"Ingresses after {what}");
            Assert.Equal(scratch.ConfigMapProblems, next.ConfigMapProblems);
        }
    }

    [Fact]
    public void Unchanged_routes_and_clusters_stay_the_same_instances_and_a_changed_backend_only_rebuilds_its_cluster()
    {
        Put(IngressClass());
        foreach (var name in new[] { "a", "b" })
        {
            Put(Service("web", name));
            Put(Slice("web", name, [(name == "a" ? 10001 : 10002, true, true, false)], name + "-1"));
            Put(Ingress("web", name, name, host: name + ".example.com"));
        }

        var translator = new IngressTranslator();
        var first = translator.Next(State(), TranslationFixture.Options);

        Put(Ingress("web", "b", "b", host: "b.example.com", annotations: new Dictionary<string, string> { ["nginx.ingress.kubernetes.io/proxy-read-timeout"] = "900" }));
        var afterIngress = translator.Next(State(), TranslationFixture.Options);
        Put(Slice("web", "b", [(10003, true, true, false)], "b-1"));
        var afterSlice = translator.Next(State(), TranslationFixture.Options);

        Assert.Same(Route(first, "a"), Route(afterIngress, "a"));
        Assert.Same(Cluster(first, "a"), Cluster(afterIngress, "a"));
        Assert.NotSame(Cluster(first, "b"), Cluster(afterIngress, "b"));
        // An Ingress object changed without changing its route: the route is rebuilt, equal, and the applier keeps the old instance.
        Assert.Equal(Route(first, "b"), Route(afterIngress, "b"));

        Assert.Same(Route(afterIngress, "a"), Route(afterSlice, "a"));
        Assert.Same(Cluster(afterIngress, "a"), Cluster(afterSlice, "a"));
        Assert.Same(Route(afterIngress, "b"), Route(afterSlice, "b"));
        Assert.NotSame(Cluster(afterIngress, "b"), Cluster(afterSlice, "b"));
        Assert.Equal(["http://127.0.0.1:10003"], Cluster(afterSlice, "b").Destinations!.Values.Select(d => d.Address));
    }

    private static Yarp.ReverseProxy.Configuration.RouteConfig Route(TranslationResult result, string ingress) =>
        result.Routes.Single(r => r.RouteId.StartsWith($"web/{ingress}/", StringComparison.Ordinal));

    private static Yarp.ReverseProxy.Configuration.ClusterConfig Cluster(TranslationResult result, string ingress) =>
        result.Clusters.Single(c => c.ClusterId.StartsWith($"web/{ingress}/", StringComparison.Ordinal));

    private static V1Ingress Created(V1Ingress ingress, int minutes)
    {
        ingress.Metadata.CreationTimestamp = Start.AddMinutes(minutes).UtcDateTime;
        return ingress;
    }

    private static V1Ingress WithTls(V1Ingress ingress, string host, string secret)
    {
        ingress.Spec.Tls = [new V1IngressTLS { Hosts = [host], SecretName = secret }];
        return ingress;
    }

    private static string KeyOf(IKubernetesObject<V1ObjectMeta> o) => $"{o.GetType().Name}/{o.Metadata.NamespaceProperty}/{o.Metadata.Name}";

    private void Put(IKubernetesObject<V1ObjectMeta> o) => _objects[KeyOf(o)] = o;

    private void Remove(IKubernetesObject<V1ObjectMeta> o) => _objects.Remove(KeyOf(o));

    /// <summary>
    /// A snapshot as the informers make it: the same instances for unchanged objects, and the same collection for a
    /// kind in which nothing changed.
    /// </summary>
    private ClusterState State()
    {
        var fresh = ClusterState.From(_objects.Values, _configMap, _draining, _now);
        _draining = Proxy.DrainTracker.Track(fresh, _draining, _now);
        var state = new ClusterState
        {
            IngressClasses = Same(_previous?.IngressClasses, fresh.IngressClasses),
            Ingresses = Same(_previous?.Ingresses, fresh.Ingresses),
            Services = _previous is { } p && p.Services.Count == fresh.Services.Count && p.Services.All(kv => ReferenceEquals(fresh.Services.GetValueOrDefault(kv.Key), kv.Value))
                ? p.Services : fresh.Services,
            EndpointSlices = fresh.EndpointSlices,
            Secrets = _previous is { } q && q.Secrets.Count == fresh.Secrets.Count && q.Secrets.All(kv => ReferenceEquals(fresh.Secrets.GetValueOrDefault(kv.Key), kv.Value))
                ? q.Secrets : fresh.Secrets,
            ConfigMapData = _configMap,
            DrainingSince = _draining,
            Now = _now,
        };
        _previous = state;
        return state;
    }

    private static IReadOnlyList<T> Same<T>(IReadOnlyList<T>? previous, IReadOnlyList<T> next) =>
        previous is not null && previous.Cast<object>().SequenceEqual(next.Cast<object>(), ReferenceEqualityComparer.Instance) ? previous : next;
}
