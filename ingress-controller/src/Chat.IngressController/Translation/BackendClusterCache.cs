using k8s.Models;
using Yarp.ReverseProxy.Configuration;

namespace Chat.IngressController.Translation;

/// <summary>
/// The clusters of Ingress backends, each rebuilt only when its settings, its Service or one of the Service's
/// EndpointSlices is another object than last time (the informers keep unchanged objects as they are), or while it
/// has a draining endpoint (its drain time runs out without any object changing). A rebuilt cluster equal to the
/// previous one stays the previous instance.
/// </summary>
public sealed class BackendClusterCache
{
    private Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private Dictionary<string, Entry> _next = new(StringComparer.Ordinal);
    private (object? Services, object? Slices) _swept;

    public (ClusterConfig Cluster, IReadOnlyList<IngressProblem> Problems) Get(ClusterState state, IngressFragment fragment, BackendRef backend)
    {
        if (_entries.TryGetValue(backend.ClusterId, out var same) && !same.Draining && ReferenceEquals(same.Fragment, fragment) && same.Backend == backend
            && ReferenceEquals(state.Services, _swept.Services) && ReferenceEquals(state.EndpointSlices, _swept.Slices))
        {
            // No Service or EndpointSlice changed since the last translation.
            _next[backend.ClusterId] = same;
            return (same.Cluster, same.Problems);
        }

        var service = state.Services.GetValueOrDefault(backend.ServiceKey);
        var slices = state.EndpointSlices[backend.ServiceKey];
        if (_entries.TryGetValue(backend.ClusterId, out var known) && known.IsCurrent(fragment, backend, service, slices))
        {
            _next[backend.ClusterId] = known;
            return (known.Cluster, known.Problems);
        }

        var messages = new List<string>();
        var destinations = BackendResolver.Resolve(state, fragment.Ingress.Metadata.NamespaceProperty, backend.Service, fragment.Settings.DrainTimeout, messages);
        var cluster = ClusterConfigFactory.Create(backend.ClusterId, fragment.Settings, destinations);
        if (known is not null && known.Cluster.Equals(cluster))
        {
            cluster = known.Cluster;
        }

        var entry = new Entry(fragment, backend, service, slices, slices.ToArray(), HasDraining(slices), cluster,
            messages.Select(m => new IngressProblem(fragment.Ingress, "BackendNotFound", m)).ToList());
        _next[backend.ClusterId] = entry;
        return (entry.Cluster, entry.Problems);
    }

    /// <summary>Forgets the clusters not asked for since the last call.</summary>
    public void Sweep(ClusterState state)
    {
        _swept = (state.Services, state.EndpointSlices);
        (_entries, _next) = (_next, _entries);
        _next.Clear();
    }

    private static bool HasDraining(IEnumerable<V1EndpointSlice> slices) =>
        slices.Any(s => s.Endpoints?.Any(e => e.Conditions?.Ready == false && e.Conditions.Terminating == true) == true);

    private sealed record Entry(IngressFragment Fragment, BackendRef Backend, V1Service? Service, IEnumerable<V1EndpointSlice> Group, V1EndpointSlice[] Slices, bool Draining,
        ClusterConfig Cluster, IReadOnlyList<IngressProblem> Problems)
    {
        public bool IsCurrent(IngressFragment fragment, BackendRef backend, V1Service? service, IEnumerable<V1EndpointSlice> slices)
        {
            if (Draining || !ReferenceEquals(fragment, Fragment) || !ReferenceEquals(service, Service) || backend != Backend)
            {
                return false;
            }

            if (ReferenceEquals(slices, Group))
            {
                return true;
            }

            var i = 0;
            foreach (var slice in slices)
            {
                if (i >= Slices.Length || !ReferenceEquals(slice, Slices[i++]))
                {
                    return false;
                }
            }

            return i == Slices.Length;
        }
    }
}
