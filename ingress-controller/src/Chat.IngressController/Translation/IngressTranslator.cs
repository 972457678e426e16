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
            _inputs = (options, state.ConfigMapData);
        }

        var own = Own(state, options);
        var routes = new List<RouteConfig>();
        var clusters = new List<ClusterConfig>();
        var tls = new List<TlsBinding>();
        var problems = new List<IngressProblem>();
        var claimed = new HashSet<string>(StringComparer.Ordinal);
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
                Replay(state, fragment, claimed, tlsHosts, routes, clusters, tls, problems);
            }
            catch (Exception e)
            {
                // Defensive: whatever an Ingress contains, it must not take the others down.
                problems.Add(new IngressProblem(ingress, "TranslationFailed", e.Message));
            }
        }

        _fragments = fragments;
        _clusters.Sweep();
        return new TranslationResult(routes, clusters, tls, problems, own, globalProblems);
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

    private void Replay(ClusterState state, IngressFragment fragment, HashSet<string> claimed, HashSet<string> tlsHosts,
        List<RouteConfig> routes, List<ClusterConfig> clusters, List<TlsBinding> tls, List<IngressProblem> problems)
    {
        List<string>? ownClusters = null; // an Ingress has a few backends: a list is cheaper than a set
        foreach (var step in fragment.Steps)
        {
            switch (step)
            {
                case IngressStep.Problem problem:
                    problems.Add(problem.Value);
                    break;
                case IngressStep.Tls binding:
                    if (tlsHosts.Add(binding.Binding.Host))
                    {
                        tls.Add(binding.Binding);
                    }

                    break;
                case IngressStep.Rule rule when !claimed.Add(rule.Claim):
                    problems.Add(rule.Conflict);
                    break;
                case IngressStep.Rule { Route: { } route, Backend: { } backend }:
                    ownClusters ??= [];
                    if (!ownClusters.Contains(backend.ClusterId, StringComparer.Ordinal))
                    {
                        ownClusters.Add(backend.ClusterId);
                        var (cluster, backendProblems) = _clusters.Get(state, fragment, backend);
                        clusters.Add(cluster);
                        problems.AddRange(backendProblems);
                    }

                    routes.Add(route);
                    break;
                case IngressStep.Rule rule:
                    problems.Add(rule.Unsupported!);
                    break;
            }
        }
    }
}
