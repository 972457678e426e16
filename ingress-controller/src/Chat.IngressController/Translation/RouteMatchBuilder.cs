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

    /// <summary>Lower is tried first: exact hosts, then wildcard hosts, then any host; longer paths first; Exact before Prefix.</summary>
    public static int Order(string? host, string? path, string pathType)
    {
        var hostRank = string.IsNullOrEmpty(host) ? 2 : host.StartsWith("*.", StringComparison.Ordinal) ? 1 : 0;
        if (pathType == DefaultBackendPathType)
        {
            hostRank = 3;
        }

        var length = Math.Min((path ?? "/").TrimEnd('/').Length, 9999);
        return hostRank * 100_000 + (9999 - length) * 2 + (pathType == "Exact" ? 0 : 1);
    }
}
