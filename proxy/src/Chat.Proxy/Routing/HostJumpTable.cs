using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing.Matching;

namespace Chat.Proxy.Routing;

/// <summary>
/// A request's host to the matcher state of its edge, in the precedence of ASP.NET Core's host policy: exact host
/// and port, exact host (both one dictionary lookup), wildcard with port, wildcard, port, anything; among equals, the
/// edge first seen.
/// </summary>
internal sealed class HostJumpTable : PolicyJumpTable
{
    private readonly int _exit;
    private readonly Dictionary<string, Exact> _exact = new(StringComparer.OrdinalIgnoreCase);
    private readonly (HostKey Key, int Destination)[] _rest;

    public HostJumpTable(int exit, IReadOnlyList<PolicyJumpTableEdge> edges)
    {
        _exit = exit;
        var rest = new List<(HostKey Key, int Destination)>();
        foreach (var edge in edges)
        {
            var key = (HostKey)edge.State;
            if (key.MatchesAnyHost || key.IsWildcard)
            {
                rest.Add((key, edge.Destination));
                continue;
            }

            var exact = _exact.TryGetValue(key.Host, out var known) ? known : _exact[key.Host] = new Exact();
            if (key.Port is { } port)
            {
                exact.Ports.TryAdd(port, edge.Destination);
            }
            else if (exact.AnyPort < 0)
            {
                exact.AnyPort = edge.Destination;
            }
        }

        _rest = [.. rest.OrderBy(r => r.Key.Precedence)];
    }

    public override int GetDestination(HttpContext httpContext)
    {
        var (host, port) = HostAndPort(httpContext.Request);
        if (_exact.TryGetValue(host, out var exact))
        {
            if (port is { } p && exact.Ports.TryGetValue(p, out var destination))
            {
                return destination;
            }

            if (exact.AnyPort >= 0)
            {
                return exact.AnyPort;
            }
        }

        foreach (var (key, destination) in _rest)
        {
            if ((key.Port is null || key.Port == port) && key.MatchesHost(host))
            {
                return destination;
            }
        }

        return _exit;
    }

    // As ASP.NET Core's host policy: without a port in Host, the scheme's default.
    private static (string Host, int? Port) HostAndPort(HttpRequest request)
    {
        var host = request.Host;
        if (host.Port is { } port)
        {
            return (host.Host, port);
        }

        var scheme = request.Scheme;
        int? schemePort = string.Equals(scheme, "https", StringComparison.OrdinalIgnoreCase) ? 443
            : string.Equals(scheme, "http", StringComparison.OrdinalIgnoreCase) ? 80
            : null;
        return (host.Host, schemePort);
    }

    private sealed class Exact
    {
        public int AnyPort { get; set; } = -1;

        public Dictionary<int, int> Ports { get; } = [];
    }
}
