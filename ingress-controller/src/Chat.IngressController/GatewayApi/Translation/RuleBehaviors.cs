using System.Text.RegularExpressions;
using Chat.IngressController.GatewayApi.Models;

namespace Chat.IngressController.GatewayApi.Translation;

/// <summary>An HTTPRoute rule's filters and matches checked and turned into <see cref="GatewayRouteBehavior"/> parts.</summary>
public static class RuleBehaviors
{
    public static readonly string[] SupportedFilters = ["RequestHeaderModifier", "ResponseHeaderModifier", "RequestRedirect", "URLRewrite"];

    /// <summary>Why a rule cannot be served as written (reason UnsupportedValue), or null.</summary>
    public static string? Problem(HttpRouteRule rule)
    {
        var filters = rule.Filters ?? [];
        foreach (var filter in filters)
        {
            if (!SupportedFilters.Contains(filter.Type))
            {
                return $"filter type {filter.Type} is not supported by this controller";
            }
        }

        if (filters.Any(f => f.Type == "RequestRedirect") && filters.Any(f => f.Type == "URLRewrite"))
        {
            return "RequestRedirect and URLRewrite cannot be combined in one rule";
        }

        var prefixOnly = filters.Any(f => f.RequestRedirect?.Path?.Type == "ReplacePrefixMatch" || f.UrlRewrite?.Path?.Type == "ReplacePrefixMatch");
        foreach (var match in Matches(rule))
        {
            if (prefixOnly && (match.Path?.Type ?? PathTypes.PathPrefix) != PathTypes.PathPrefix)
            {
                return "ReplacePrefixMatch needs PathPrefix matches";
            }

            if (match.Path?.Type == PathTypes.RegularExpression && !ValidRegex(match.Path.Value))
            {
                return $"path regular expression \"{match.Path.Value}\" is not valid";
            }

            foreach (var m in (match.Headers ?? []).Select(h => (h.Type, h.Value)).Concat((match.QueryParams ?? []).Select(q => (q.Type, q.Value))))
            {
                if (m.Type == "RegularExpression" && !ValidRegex(m.Value))
                {
                    return $"regular expression \"{m.Value}\" is not valid";
                }
            }

            if (match.Path?.Type is { } type && type is not (PathTypes.Exact or PathTypes.PathPrefix or PathTypes.RegularExpression))
            {
                return $"path match type {type} is not supported";
            }
        }

        foreach (var backend in rule.BackendRefs ?? [])
        {
            if ((backend.Filters ?? []).Any(f => f.Type != "RequestHeaderModifier"))
            {
                return "backendRef filters other than RequestHeaderModifier are not supported";
            }
        }

        foreach (var timeout in new[] { rule.Timeouts?.Request, rule.Timeouts?.BackendRequest })
        {
            if (timeout is not null && GatewayDuration.Parse(timeout) is null)
            {
                return $"timeout \"{timeout}\" is not a duration like 10s or 500ms";
            }
        }

        return null;
    }

    /// <summary>The rule's matches; none means one that matches every request (PathPrefix /).</summary>
    public static IReadOnlyList<HttpRouteMatch> Matches(HttpRouteRule rule) =>
        rule.Matches is { Count: > 0 } matches ? matches.ToList() : [new HttpRouteMatch()];

    public static HeaderChanges? Headers(HttpHeaderFilter? filter) => filter is null ? null : new HeaderChanges(
        (filter.Set ?? []).Select(h => KeyValuePair.Create(h.Name, h.Value)).ToList(),
        (filter.Add ?? []).Select(h => KeyValuePair.Create(h.Name, h.Value)).ToList(),
        (filter.Remove ?? []).ToList());

    public static RedirectAction? Redirect(HttpRouteRule rule)
    {
        var r = rule.Filters?.FirstOrDefault(f => f.Type == "RequestRedirect")?.RequestRedirect;
        return r is null ? null : new RedirectAction(r.Scheme, r.Hostname, r.Port,
            r.Path?.Type == "ReplaceFullPath" ? r.Path.ReplaceFullPath ?? "/" : null,
            r.Path?.Type == "ReplacePrefixMatch" ? r.Path.ReplacePrefixMatch ?? "/" : null,
            r.StatusCode ?? 302);
    }

    public static RewriteAction? Rewrite(HttpRouteRule rule)
    {
        var r = rule.Filters?.FirstOrDefault(f => f.Type == "URLRewrite")?.UrlRewrite;
        return r is null ? null : new RewriteAction(r.Hostname,
            r.Path?.Type == "ReplaceFullPath" ? r.Path.ReplaceFullPath ?? "/" : null,
            r.Path?.Type == "ReplacePrefixMatch" ? r.Path.ReplacePrefixMatch ?? "/" : null);
    }

    /// <summary>The smaller of timeouts.request and timeouts.backendRequest that is set and not zero (zero disables).</summary>
    public static double? Timeout(HttpRouteRule rule)
    {
        var values = new[] { rule.Timeouts?.Request, rule.Timeouts?.BackendRequest }
            .Select(GatewayDuration.Parse).Where(t => t is { } v && v > TimeSpan.Zero).Select(t => t!.Value.TotalSeconds).ToList();
        return values.Count == 0 ? null : values.Min();
    }

    private static bool ValidRegex(string? pattern)
    {
        try
        {
            _ = new Regex(pattern ?? "", RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
            return pattern is not null;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
