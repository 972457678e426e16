namespace Chat.IngressController.Translation;

/// <summary>Ingress paths as YARP route templates and orders (Kubernetes precedence: exact host, longest path, Exact first).</summary>
public static class RouteMatchBuilder
{
    public const string DefaultBackendPathType = "DefaultBackend";

    /// <summary>The route template for a path, or null (with a reason) when Kubernetes would reject it.</summary>
    public static string? Template(string? path, string pathType, out string? error)
    {
        error = null;
        path = string.IsNullOrEmpty(path) ? "/" : path;
        if (!path.StartsWith('/') || path.Contains("//", StringComparison.Ordinal) || path.IndexOfAny(['?', '#', '\\']) >= 0)
        {
            error = $"path \"{path}\" must start with / and contain no //, ?, # or \\";
            return null;
        }

        if (pathType is not ("Exact" or "Prefix" or "ImplementationSpecific"))
        {
            error = $"pathType \"{pathType}\" is not Exact, Prefix or ImplementationSpecific";
            return null;
        }

        var literal = path.Replace("{", "{{", StringComparison.Ordinal).Replace("}", "}}", StringComparison.Ordinal);
        if (pathType == "Exact")
        {
            return literal;
        }

        // Prefix (and ImplementationSpecific, treated as Prefix): element-wise, "/foo" matches /foo and /foo/bar, not /foobar.
        var trimmed = literal.TrimEnd('/');
        return trimmed + "/{**catch-all}";
    }

    /// <summary>Buckets that spread exact hosts over distinct orders; see <see cref="Order"/>.</summary>
    private const int HostBuckets = 16_384;

    private const int PathStride = 20_000;

    private const int RankStride = HostBuckets * PathStride;

    /// <summary>Every Ingress order is below this.</summary>
    public const int Limit = 4 * RankStride;

    /// <summary>
    /// Lower is tried first: exact hosts, then wildcard hosts, then any host; longer paths first; Exact before Prefix.
    /// Each exact host also gets a bucket of its own (a hash of the name): no request matches two exact hosts, so
    /// their relative order means nothing, and distinct orders spare ASP.NET Core's matcher, which sorts every route
    /// on each rebuild, from running every policy's comparer on each pair of routes that tie on order and path.
    /// </summary>
    public static int Order(string? host, string? path, string pathType)
    {
        var hostRank = string.IsNullOrEmpty(host) ? 2 : host.StartsWith("*.", StringComparison.Ordinal) ? 1 : 0;
        if (pathType == DefaultBackendPathType)
        {
            hostRank = 3;
        }

        var bucket = hostRank == 0 ? Bucket(host!) : 0;
        var length = Math.Min((path ?? "/").TrimEnd('/').Length, 9999);
        return hostRank * RankStride + bucket * PathStride + (9999 - length) * 2 + (pathType == "Exact" ? 0 : 1);
    }

    /// <summary>FNV-1a of the lower-cased name: the same bucket in every process and on every run.</summary>
    private static int Bucket(string host)
    {
        var hash = 2166136261u;
        foreach (var c in host)
        {
            hash = (hash ^ char.ToLowerInvariant(c)) * 16777619u;
        }

        return (int)(hash % HostBuckets);
    }
}
