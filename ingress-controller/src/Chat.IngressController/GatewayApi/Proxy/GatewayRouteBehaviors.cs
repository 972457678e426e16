using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Model;

namespace Chat.IngressController.GatewayApi.Proxy;

/// <summary>A route's <see cref="GatewayRouteBehavior"/> with its regular expressions compiled.</summary>
public sealed class CompiledBehavior
{
    private static readonly TimeSpan RegexTimeout = TimeSpan.FromMilliseconds(50);

    public CompiledBehavior(GatewayRouteBehavior behavior)
    {
        Behavior = behavior;
        var options = RegexOptions.CultureInvariant | RegexOptions.Compiled;
        PathRegex = behavior.PathType == PathTypes.RegularExpression ? new Regex("^(?:" + behavior.Path + ")$", options, RegexTimeout) : null;
        Prefix = behavior.PathType == PathTypes.PathPrefix ? behavior.Path.TrimEnd('/') : null;
        Headers = behavior.Headers?.Select(h => (h, h.Regex ? new Regex("^(?:" + h.Value + ")$", options, RegexTimeout) : null)).ToList();
        QueryParams = behavior.QueryParams?.Select(q => (q, q.Regex ? new Regex("^(?:" + q.Value + ")$", options, RegexTimeout) : null)).ToList();
    }

    public GatewayRouteBehavior Behavior { get; }
    public Regex? PathRegex { get; }

    /// <summary>The PathPrefix without trailing slash ("" for "/").</summary>
    public string? Prefix { get; }

    public IReadOnlyList<(ValueMatch Match, Regex? Regex)>? Headers { get; }
    public IReadOnlyList<(ValueMatch Match, Regex? Regex)>? QueryParams { get; }

    /// <summary>The case-sensitive path check (YARP's own template match is case-insensitive).</summary>
    public bool PathMatches(string path) => Behavior.PathType switch
    {
        PathTypes.Exact => string.Equals(path, Behavior.Path, StringComparison.Ordinal),
        PathTypes.PathPrefix => Prefix!.Length == 0
            || (path.StartsWith(Prefix, StringComparison.Ordinal) && (path.Length == Prefix.Length || path[Prefix.Length] == '/')),
        _ => PathRegex!.IsMatch(path),
    };

    public bool HeadersMatch(IHeaderDictionary headers)
    {
        foreach (var (match, regex) in Headers ?? [])
        {
            if (!headers.TryGetValue(match.Name, out var values) || !values.Any(v => v is not null && (regex?.IsMatch(v) ?? v == match.Value)))
            {
                return false;
            }
        }

        return true;
    }

    public bool QueryMatches(IQueryCollection query)
    {
        foreach (var (match, regex) in QueryParams ?? [])
        {
            if (!query.TryGetValue(match.Name, out var values) || !values.Any(v => v is not null && (regex?.IsMatch(v) ?? v == match.Value)))
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>The compiled behavior of each YARP route model (null for routes that are not the Gateway API's), parsed once per config.</summary>
public sealed class GatewayRouteBehaviors
{
    private static readonly CompiledBehavior None = new(new GatewayRouteBehavior());
    private readonly ConditionalWeakTable<RouteModel, CompiledBehavior> _compiled = new();

    public CompiledBehavior? For(RouteModel? route)
    {
        if (route is null)
        {
            return null;
        }

        var compiled = _compiled.GetValue(route, static r => GatewayRouteBehavior.Parse(r.Config.Metadata) is { } b ? new CompiledBehavior(b) : None);
        return ReferenceEquals(compiled, None) ? null : compiled;
    }

    public CompiledBehavior? For(HttpContext context) => For(context.GetEndpoint()?.Metadata.GetMetadata<RouteModel>());
}
