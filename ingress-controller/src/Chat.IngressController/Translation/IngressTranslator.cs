using Chat.IngressController.Hosting;
using k8s.Models;
using Yarp.ReverseProxy.Configuration;

namespace Chat.IngressController.Translation;

/// <summary>
/// The function at the heart of the controller: watched objects in, YARP routes and clusters, TLS hosts and
/// per-Ingress problems out. Each Ingress is translated on its own, so a broken one only loses its own rules.
/// Conflicting rules (same host, path and type) go to the oldest Ingress, as with ingress-nginx.
/// An instance remembers what each Ingress and each backend translated to, so that the next snapshot re-translates
/// only the Ingresses and clusters whose objects changed, and unchanged routes and clusters stay the same instances
/// (the proxy then skips them); the result is the same as a translation from scratch (<see cref="Translate"/>).
/// Not thread-safe: one caller at a time.
/// </summary>
public sealed class IngressTranslator
{
    private readonly BackendClusterCache _clusters = new();
    private Dictionary<string, IngressFragment> _fragments = new(StringComparer.Ordinal);
    private (IngressControllerOptions? Options, IDictionary<string, string>? ConfigMap) _inputs;
    private (IReadOnlyList<V1Ingress>? Ingresses, IReadOnlyList<V1IngressClass>? Classes, List<V1Ingress> Own) _own = (null, null, []);
    private Replayed? _last;

    /// <summary>A translation from scratch.</summary>
    public static TranslationResult Translate(ClusterState state, IngressControllerOptions options) => new IngressTranslator().Next(state, options);

    /// <summary>The translation of <paramref name="state"/>, reusing what did not change since the previous call.</summary>
    public TranslationResult Next(ClusterState state, IngressControllerOptions options)
    {
        var globalProblems = new List<string>();
        var baseline = new BackendSettings { DrainTimeout = TimeSpan.FromSeconds(options.DefaultDrainSeconds) };
        var defaults = SettingsParser.FromConfigMap(baseline, state.ConfigMapData, globalProblems);
        if (!ReferenceEquals(_inputs.Options, options) || !ReferenceEquals(_inputs.ConfigMap, state.ConfigMapData))
        {
            // Other defaults: every Ingress again.
            _fragments.Clear();
            _own = (null, null, []);
            _last = null;
            _inputs = (options, state.ConfigMapData);
        }

        // Same Ingresses, classes and Secrets: the fragments and who wins which rule are as they were; only the
        // clusters (Services, EndpointSlices, draining) can differ.
        var replayed = _last is { } last && ReferenceEquals(last.Ingresses, state.Ingresses) && ReferenceEquals(last.Classes, state.IngressClasses)
            && ReferenceEquals(last.Secrets, state.Secrets)
            ? last
            : Replay(state, Own(state, options), defaults);
        _last = replayed;

        var clusters = new List<ClusterConfig>(replayed.Routes.Count);
        var problems = new List<IngressProblem>();
        foreach (var outcome in replayed.Outcomes)
        {
            if (outcome.Problem is { } problem)
            {
                problems.Add(problem);
                continue;
            }

            try
            {
                var (cluster, backendProblems) = _clusters.Get(state, outcome.Fragment!, outcome.Backend!);
                clusters.Add(cluster);
                problems.AddRange(backendProblems);
            }
            catch (Exception e)
            {
                problems.Add(new IngressProblem(outcome.Fragment!.Ingress, "TranslationFailed", e.Message));
            }
        }

        _clusters.Sweep();
        return new TranslationResult(replayed.Routes, clusters, replayed.Tls, problems, replayed.Own, globalProblems);
    }

    /// <summary>Every Ingress's fragment (reused when current), replayed oldest first to settle conflicts.</summary>
    private Replayed Replay(ClusterState state, List<V1Ingress> own, BackendSettings defaults)
    {
        var routes = new List<RouteConfig>(own.Count);
        var tls = new List<TlsBinding>();
        var outcomes = new List<Outcome>(own.Count);
        var claimed = new HashSet<string>(own.Count, StringComparer.Ordinal);
        var tlsHosts = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var fragments = new Dictionary<string, IngressFragment>(own.Count, StringComparer.Ordinal);
        foreach (var ingress in own)
        {
            var key = ingress.Metadata.NamespaceProperty + "/" + ingress.Metadata.Name;
            try
            {
                if (!_fragments.TryGetValue(key, out var fragment) || !fragment.IsCurrent(ingress, state))
                {
                    fragment = IngressFragment.Create(state, ingress, defaults);
                }

                fragments[key] = fragment;
                Replay(fragment, claimed, tlsHosts, routes, tls, outcomes);
            }
            catch (Exception e)
            {
                // Defensive: whatever an Ingress contains, it must not take the others down.
                outcomes.Add(new Outcome(new IngressProblem(ingress, "TranslationFailed", e.Message), null, null));
            }
        }

        _fragments = fragments;
        return new Replayed(state.Ingresses, state.IngressClasses, state.Secrets, own, routes, tls, outcomes);
    }

    /// <summary>This controller's Ingresses, oldest first (sorted again only when the Ingresses or classes changed).</summary>
    private List<V1Ingress> Own(ClusterState state, IngressControllerOptions options)
    {
        if (ReferenceEquals(_own.Ingresses, state.Ingresses) && ReferenceEquals(_own.Classes, state.IngressClasses))
        {
            return _own.Own;
        }

        var filter = new IngressClassFilter(options, state.IngressClasses);
        var own = state.Ingresses.Where(filter.IsOwn)
            .OrderBy(i => i.Metadata.CreationTimestamp ?? DateTime.MaxValue)
            .ThenBy(i => i.Metadata.NamespaceProperty, StringComparer.Ordinal)
            .ThenBy(i => i.Metadata.Name, StringComparer.Ordinal)
            .ToList();
        _own = (state.Ingresses, state.IngressClasses, own);
        return own;
    }

    private static void Replay(IngressFragment fragment, HashSet<string> claimed, HashSet<string> tlsHosts,
        List<RouteConfig> routes, List<TlsBinding> tls, List<Outcome> outcomes)
    {
        List<string>? ownClusters = null; // an Ingress has a few backends: a list is cheaper than a set
        foreach (var step in fragment.Steps)
        {
            switch (step)
            {
                case IngressStep.Problem problem:
                    outcomes.Add(new Outcome(problem.Value, null, null));
                    break;
                case IngressStep.Tls binding:
                    if (tlsHosts.Add(binding.Binding.Host))
                    {
                        tls.Add(binding.Binding);
                    }

                    break;
                case IngressStep.Rule rule when !claimed.Add(rule.Claim):
                    outcomes.Add(new Outcome(rule.Conflict, null, null));
                    break;
                case IngressStep.Rule { Route: { } route, Backend: { } backend }:
                    ownClusters ??= [];
                    if (!ownClusters.Contains(backend.ClusterId, StringComparer.Ordinal))
                    {
                        ownClusters.Add(backend.ClusterId);
                        outcomes.Add(new Outcome(null, fragment, backend));
                    }

                    routes.Add(route);
                    break;
                case IngressStep.Rule rule:
                    outcomes.Add(new Outcome(rule.Unsupported!, null, null));
                    break;
            }
        }
    }

    /// <summary>In order: a problem, or the first use of a backend by an Ingress (its cluster and that cluster's problems).</summary>
    private sealed record Outcome(IngressProblem? Problem, IngressFragment? Fragment, BackendRef? Backend);

    /// <summary>What the replay of the fragments gave, and for which Ingresses, classes and Secrets.</summary>
    private sealed record Replayed(IReadOnlyList<V1Ingress> Ingresses, IReadOnlyList<V1IngressClass> Classes, IReadOnlyDictionary<string, V1Secret> Secrets,
        List<V1Ingress> Own, List<RouteConfig> Routes, List<TlsBinding> Tls, List<Outcome> Outcomes);
}
