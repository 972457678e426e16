namespace Chat.IngressController.GatewayApi.Translation;

/// <summary>Gateway API hostname rules: a wildcard "*.example.com" matches one or more labels before ".example.com".</summary>
public static class Hostnames
{
    public static bool IsWildcard(string host) => host.StartsWith("*.", StringComparison.Ordinal);

    /// <summary>Whether a concrete host (or a wildcard taken as its most general member) is matched by a pattern.</summary>
    public static bool Matches(string pattern, string host)
    {
        if (!IsWildcard(pattern))
        {
            return string.Equals(pattern, host, StringComparison.OrdinalIgnoreCase);
        }

        var suffix = pattern[1..];
        return host.Length > suffix.Length && host.EndsWith(suffix, StringComparison.OrdinalIgnoreCase) && host[^(suffix.Length + 1)] != '.'
            || (IsWildcard(host) && host.Length > pattern.Length && host.EndsWith(suffix, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>
    /// The hostnames a route serves on a listener: the intersection of the listener's hostname (null = any) and the
    /// route's hostnames (none = any). Null means any host; an empty list means they do not intersect.
    /// </summary>
    public static IReadOnlyList<string>? Intersect(string? listener, IReadOnlyList<string> route)
    {
        if (route.Count == 0)
        {
            return listener is null ? null : [listener];
        }

        if (listener is null)
        {
            return route;
        }

        var result = new List<string>();
        foreach (var host in route)
        {
            if (string.Equals(host, listener, StringComparison.OrdinalIgnoreCase) || Matches(listener, host))
            {
                result.Add(host);
            }
            else if (Matches(host, listener))
            {
                result.Add(listener);
            }
        }

        return result.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
    }

    /// <summary>Lower first: exact hosts, then wildcards with the longest suffix, then any host.</summary>
    public static int Specificity(string? host) => host is null ? 2_000 : IsWildcard(host) ? 1_000 - Math.Min(host.Length, 999) : 0;
}
