using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Matching;

namespace Chat.Proxy.Routing;

/// <summary>
/// Host matching for proxied routes with the meaning of ASP.NET Core's <c>HostMatcherPolicy</c> (the same edges, the
/// same endpoints on each, in the same order; the same precedence of a request's host) at a cost that grows with the
/// number of routes, not with its square. ASP.NET Core's policy tests every endpoint against every host while it
/// builds the matcher, which it does again after every route change: with 1,000 Ingress hosts that was about half a
/// second of each change. Its jump table also compared a request's host with every host in turn; this one looks
/// exact hosts up in a dictionary.
/// </summary>
public sealed class IndexedHostMatcherPolicy : MatcherPolicy, IEndpointComparerPolicy, INodeBuilderPolicy
{
    // Where ASP.NET Core's host policy runs: after HTTP methods, before the default order.
    public override int Order => -100;

    public IComparer<Endpoint> Comparer { get; } = new HostsFirst();

    public bool AppliesToEndpoints(IReadOnlyList<Endpoint> endpoints)
    {
        for (var i = 0; i < endpoints.Count; i++)
        {
            if (KeysOf(endpoints[i]) is not null)
            {
                return true;
            }
        }

        return false;
    }

    public IReadOnlyList<PolicyNodeEdge> GetEdges(IReadOnlyList<Endpoint> endpoints)
    {
        // Every distinct key, in the order first seen (an endpoint without hosts stands for "*"). An endpoint's keys
        // are read once: a metadata lookup costs more than the rest of this loop.
        var keysOf = new HostKey[]?[endpoints.Count];
        var edges = new Dictionary<HostKey, List<Endpoint>>();
        var wildcards = new List<(HostKey Key, List<Endpoint> Endpoints)>();
        for (var i = 0; i < endpoints.Count; i++)
        {
            keysOf[i] = KeysOf(endpoints[i]);
            foreach (var key in keysOf[i] ?? [HostKey.Any])
            {
                if (edges.TryAdd(key, []) && key.IsWildcard)
                {
                    wildcards.Add((key, edges[key]));
                }
            }
        }

        // Then each endpoint, in order, onto its edges: all of them without hosts; else the edge of each of its keys,
        // and for a wildcard key also every wildcard edge above it (*.example.com takes *.a.example.com's endpoints).
        for (var i = 0; i < endpoints.Count; i++)
        {
            var endpoint = endpoints[i];
            if (keysOf[i] is not { } keys)
            {
                foreach (var members in edges.Values)
                {
                    members.Add(endpoint);
                }

                continue;
            }

            foreach (var key in keys)
            {
                AddOnce(edges[key], endpoint);
                if (key.IsWildcard)
                {
                    foreach (var (wildcard, members) in wildcards)
                    {
                        if (wildcard.Covers(key))
                        {
                            AddOnce(members, endpoint);
                        }
                    }
                }
            }
        }

        var result = new PolicyNodeEdge[edges.Count];
        var next = 0;
        foreach (var (key, members) in edges)
        {
            result[next++] = new PolicyNodeEdge(key, members);
        }

        return result;
    }

    public PolicyJumpTable BuildJumpTable(int exitDestination, IReadOnlyList<PolicyJumpTableEdge> edges) =>
        new HostJumpTable(exitDestination, edges);

    private static HostKey[]? KeysOf(Endpoint endpoint) => endpoint.Metadata.GetMetadata<RouteHosts>()?.Keys;

    // Endpoints are added in order, so an endpoint already on an edge is its last one.
    private static void AddOnce(List<Endpoint> members, Endpoint endpoint)
    {
        if (members.Count == 0 || !ReferenceEquals(members[^1], endpoint))
        {
            members.Add(endpoint);
        }
    }

    /// <summary>Of two endpoints of equal order, the one with hosts goes first.</summary>
    private sealed class HostsFirst : EndpointMetadataComparer<RouteHosts>
    {
    }
}
