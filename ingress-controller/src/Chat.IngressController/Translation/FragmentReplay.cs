using k8s.Models;
using Yarp.ReverseProxy.Configuration;

namespace Chat.IngressController.Translation;

/// <summary>
/// The fragments of this controller's Ingresses replayed oldest first: who wins which host and path and which TLS
/// host, the routes, and in order the problems and first uses of backends; kept with the objects it came from. Each
/// Ingress's part is a segment that remembers which of its claims it won, so it can be replayed alone.
/// </summary>
public sealed class FragmentReplay
{
    public FragmentReplay(ClusterState state, IngressClassFilter filter, List<V1Ingress> own, List<Segment> segments)
    {
        Ingresses = state.Ingresses;
        Classes = state.IngressClasses;
        Secrets = state.Secrets;
        Filter = filter;
        Own = own;
        Segments = segments;
        Clean = segments.All(s => s.Fragment is not null);
        Positions = new Dictionary<V1Ingress, int>(own.Count, ReferenceEqualityComparer.Instance);
        for (var i = 0; i < own.Count; i++)
        {
            Positions[own[i]] = i;
        }

        Routes = segments.SelectMany(s => s.Routes).ToList();
        Tls = segments.SelectMany(s => s.Tls).ToList();
        Outcomes = segments.SelectMany(s => s.Outcomes).ToList();
    }

    public IReadOnlyList<V1Ingress> Ingresses { get; }
    public IReadOnlyList<V1IngressClass> Classes { get; }
    public IReadOnlyDictionary<string, V1Secret> Secrets { get; }
    public IngressClassFilter Filter { get; }
    public List<V1Ingress> Own { get; }
    public List<Segment> Segments { get; }

    /// <summary>False when some Ingress failed to translate (its segment has no fragment).</summary>
    public bool Clean { get; }

    public Dictionary<V1Ingress, int> Positions { get; }
    public List<RouteConfig> Routes { get; }
    public List<TlsBinding> Tls { get; }
    public List<Outcome> Outcomes { get; }

    /// <summary>Replays a fragment against the claims of the older Ingresses, adding its own.</summary>
    public static Segment Replay(IngressFragment fragment, Claims claims) => Build(fragment, fragment.Steps.Select(step => step switch
    {
        IngressStep.Rule rule => claims.Rules.Add(rule.Claim),
        IngressStep.Tls tls => claims.TlsHosts.Add(tls.Binding.Host),
        _ => true,
    }).ToArray());

    /// <summary>Replays a fragment that claims what <paramref name="previous"/>'s did, with the same outcomes.</summary>
    public static Segment Replay(IngressFragment fragment, Segment previous) => Build(fragment, previous.Won);

    public static Segment Failed(V1Ingress ingress, Exception e) =>
        new(null, [], [], [], [new Outcome(new IngressProblem(ingress, "TranslationFailed", e.Message), null, null)]);

    private static Segment Build(IngressFragment fragment, bool[] won)
    {
        var routes = new List<RouteConfig>(1);
        var tls = new List<TlsBinding>();
        var outcomes = new List<Outcome>(1);
        List<string>? backends = null; // an Ingress has a few backends: a list is cheaper than a set
        for (var i = 0; i < fragment.Steps.Count; i++)
        {
            switch (fragment.Steps[i])
            {
                case IngressStep.Problem problem:
                    outcomes.Add(new Outcome(problem.Value, null, null));
                    break;
                case IngressStep.Tls binding:
                    if (won[i])
                    {
                        tls.Add(binding.Binding);
                    }

                    break;
                case IngressStep.Rule rule when !won[i]:
                    outcomes.Add(new Outcome(rule.Conflict, null, null));
                    break;
                case IngressStep.Rule { Route: { } route, Backend: { } backend }:
                    backends ??= [];
                    if (!backends.Contains(backend.ClusterId, StringComparer.Ordinal))
                    {
                        backends.Add(backend.ClusterId);
                        outcomes.Add(new Outcome(null, fragment, backend));
                    }

                    routes.Add(route);
                    break;
                case IngressStep.Rule rule:
                    outcomes.Add(new Outcome(rule.Unsupported!, null, null));
                    break;
            }
        }

        return new Segment(fragment, won, routes, tls, outcomes);
    }

    /// <summary>The hosts and paths, and the TLS hosts, taken by the Ingresses replayed so far.</summary>
    public sealed class Claims(int capacity)
    {
        public HashSet<string> Rules { get; } = new(capacity, StringComparer.Ordinal);
        public HashSet<string> TlsHosts { get; } = new(StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>One Ingress's part: per step of its fragment whether it won its claim, and what it gave.</summary>
    public sealed record Segment(IngressFragment? Fragment, bool[] Won, List<RouteConfig> Routes, List<TlsBinding> Tls, List<Outcome> Outcomes)
    {
        /// <summary>Whether <paramref name="other"/> claims the same hosts and paths and TLS hosts, in the same order.</summary>
        public bool SameClaims(IngressFragment other) => Fragment is not null && ClaimsOf(Fragment).SequenceEqual(ClaimsOf(other));

        private static IEnumerable<string> ClaimsOf(IngressFragment fragment) => fragment.Steps.Select(step => step switch
        {
            IngressStep.Rule rule => "rule " + rule.Claim,
            IngressStep.Tls tls => "tls " + tls.Binding.Host.ToLowerInvariant(),
            _ => null,
        }).OfType<string>();
    }

    /// <summary>In order: a problem, or the first use of a backend by an Ingress (its cluster and that cluster's problems).</summary>
    public sealed record Outcome(IngressProblem? Problem, IngressFragment? Fragment, BackendRef? Backend);
}
