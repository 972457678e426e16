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
    // More changed Ingresses than this in one snapshot: replay them all.
    private const int MaxPatched = 16;

    private readonly BackendClusterCache _clusters = new();
    private Dictionary<string, IngressFragment> _fragments = new(StringComparer.Ordinal);
    private (IngressControllerOptions? Options, IDictionary<string, string>? ConfigMap) _inputs;
    private FragmentReplay? _last;

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
            _last = null;
            _inputs = (options, state.ConfigMapData);
        }

        // Same Ingresses, classes and Secrets: the fragments and who wins which rule are as they were; only the
        // clusters (Services, EndpointSlices, draining) can differ. A few Ingresses changed without changing what
        // they claim: only theirs are replayed.
        var replayed = _last is { } last && ReferenceEquals(last.Classes, state.IngressClasses) && ReferenceEquals(last.Secrets, state.Secrets)
            ? ReferenceEquals(last.Ingresses, state.Ingresses) ? last : Patch(last, state, options, defaults)
            : null;
        replayed ??= ReplayAll(state, options, defaults);
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

        _clusters.Sweep(state);
        return new TranslationResult(replayed.Routes, clusters, replayed.Tls, problems, replayed.Own, globalProblems);
    }

    /// <summary>Every Ingress's fragment (reused when current), replayed oldest first to settle conflicts.</summary>
    private FragmentReplay ReplayAll(ClusterState state, IngressControllerOptions options, BackendSettings defaults)
    {
        var filter = new IngressClassFilter(options, state.IngressClasses);
        var own = state.Ingresses.Where(filter.IsOwn)
            .OrderBy(i => i.Metadata.CreationTimestamp ?? DateTime.MaxValue)
            .ThenBy(i => i.Metadata.NamespaceProperty, StringComparer.Ordinal)
            .ThenBy(i => i.Metadata.Name, StringComparer.Ordinal)
            .ToList();
        var claims = new FragmentReplay.Claims(own.Count);
        var segments = new List<FragmentReplay.Segment>(own.Count);
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
                segments.Add(FragmentReplay.Replay(fragment, claims));
            }
            catch (Exception e)
            {
                // Defensive: whatever an Ingress contains, it must not take the others down.
                segments.Add(FragmentReplay.Failed(ingress, e));
            }
        }

        _fragments = fragments;
        return new FragmentReplay(state, filter, own, segments);
    }

    /// <summary>
    /// The previous replay with the few Ingresses that changed replayed alone, when each keeps its place in the order
    /// and claims the same hosts and paths as before (then nobody else's outcome changes); otherwise null.
    /// </summary>
    private FragmentReplay? Patch(FragmentReplay last, ClusterState state, IngressControllerOptions options, BackendSettings defaults)
    {
        if (!last.Clean || last.Ingresses.Count != state.Ingresses.Count)
        {
            return null;
        }

        List<FragmentReplay.Segment>? segments = null;
        List<V1Ingress>? own = null;
        var patched = 0;
        for (var i = 0; i < state.Ingresses.Count; i++)
        {
            var (before, after) = (last.Ingresses[i], state.Ingresses[i]);
            if (ReferenceEquals(before, after))
            {
                continue;
            }

            if (++patched > MaxPatched || before.Metadata.NamespaceProperty != after.Metadata.NamespaceProperty || before.Metadata.Name != after.Metadata.Name
                || before.Metadata.CreationTimestamp != after.Metadata.CreationTimestamp || last.Filter.IsOwn(before) != last.Filter.IsOwn(after))
            {
                return null;
            }

            if (!last.Positions.TryGetValue(before, out var position))
            {
                continue; // Not this controller's, before or after.
            }

            var fragment = IngressFragment.Create(state, after, defaults);
            if (!last.Segments[position].SameClaims(fragment))
            {
                return null;
            }

            segments ??= [.. last.Segments];
            own ??= [.. last.Own];
            segments[position] = FragmentReplay.Replay(fragment, last.Segments[position]);
            own[position] = after;
            _fragments[fragment.Key] = fragment;
        }

        return new FragmentReplay(state, last.Filter, own ?? last.Own, segments ?? last.Segments);
    }
}
