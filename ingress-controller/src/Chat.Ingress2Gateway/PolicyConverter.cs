using Chat.IngressController.GatewayApi.Models;
using Chat.IngressController.GatewayApi.Translation;
using Chat.IngressController.Translation;
using static Chat.IngressController.Translation.AnnotationNames;

namespace Chat.Ingress2Gateway;

/// <summary>
/// An Ingress's annotations, parsed by the controller's own <see cref="SettingsParser"/>, as a ConnectionPolicy spec:
/// load-balance (least_conn stays cluster-wide least connections), proxy-read/send-timeout as IDLE timeouts (not
/// HTTPRoute request timeouts, which would cut long-lived streams), connect timeout, keep-alive, readiness, drain.
/// What neither the Gateway API nor the policy can say is a warning naming the annotation.
/// </summary>
public static class PolicyConverter
{
    /// <summary>Annotations the converted objects cannot express, with what is lost.</summary>
    private static readonly Dictionary<string, string> NotExpressible = new(StringComparer.Ordinal)
    {
        [Affinity] = "cookie affinity has no Gateway API equivalent here (SignalR negotiate affinity is kept by the controller itself)",
        [SessionCookieName] = "cookie affinity has no Gateway API equivalent here",
        [SessionCookiePath] = "cookie affinity has no Gateway API equivalent here",
        [SessionCookieMaxAge] = "cookie affinity has no Gateway API equivalent here",
        [ProxyBodySize] = "the Gateway API has no request body limit; the controller's default applies",
        [WhitelistSourceRange] = "the Gateway API has no source address allow-list; restrict access another way (e.g. a NetworkPolicy)",
        [AllowlistSourceRange] = "the Gateway API has no source address allow-list; restrict access another way (e.g. a NetworkPolicy)",
    };

    public sealed record Result(ConnectionPolicySpec Spec, BackendSettings Settings, bool ForceSslRedirect, bool SslRedirect);

    public static Result Convert(IDictionary<string, string>? annotations, Action<string> warn)
    {
        var problems = new List<string>();
        var settings = SettingsParser.FromAnnotations(new BackendSettings(), annotations, problems);
        problems.ForEach(warn);
        var set = (annotations ?? new Dictionary<string, string>()).Keys
            .Select(Unprefixed).OfType<string>().ToHashSet(StringComparer.Ordinal);
        foreach (var key in set.Where(NotExpressible.ContainsKey).Order(StringComparer.Ordinal))
        {
            warn($"annotation {Supported[key]}{key} is not converted: {NotExpressible[key]}");
        }

        string? Duration(string key, TimeSpan value) => set.Contains(key) ? GatewayDuration.Format(value) : null;

        var spec = new ConnectionPolicySpec
        {
            // Always written: the Ingress path's default for upgrades is least connections, the Gateway API's is round robin.
            Balancing = PolicyName(PolicyIndex.ConnectionBalancing, BalanceModeNames.ForConnections(settings.WebSocketBalance)),
            RequestBalancing = set.Contains(LoadBalance) || set.Contains(HttpLoadBalance)
                ? PolicyName(PolicyIndex.RequestBalancing, BalanceModeNames.ForRequests(settings.HttpBalance))
                : null,
            ConnectTimeout = Duration(ProxyConnectTimeout, settings.ConnectTimeout),
            ReadinessPath = set.Contains(ReadinessPath) ? settings.ReadinessPath : null,
            DrainTimeout = Duration(DrainTimeout, settings.DrainTimeout),
        };
        if (set.Contains(ProxyReadTimeout) || set.Contains(ProxySendTimeout))
        {
            spec.IdleTimeout = new IdleTimeouts { Read = Duration(ProxyReadTimeout, settings.ReadTimeout), Send = Duration(ProxySendTimeout, settings.SendTimeout) };
        }

        if (set.Contains(UpstreamKeepaliveTimeout) || set.Contains(UpstreamKeepaliveConnections))
        {
            spec.UpstreamKeepAlive = new UpstreamKeepAlive
            {
                IdleTimeout = Duration(UpstreamKeepaliveTimeout, settings.KeepaliveTimeout),
                // 0 (no keep-alive) is not a policy value: leave the proxy's default and say so.
                MaxConnections = set.Contains(UpstreamKeepaliveConnections) && settings.KeepaliveConnections > 0 ? settings.KeepaliveConnections : null,
            };
            if (set.Contains(UpstreamKeepaliveConnections) && settings.KeepaliveConnections == 0)
            {
                warn($"annotation {NginxPrefix}{UpstreamKeepaliveConnections}: 0 (no keep-alive) is not expressible; the proxy's default is used");
            }
        }

        return new Result(spec, settings, settings.ForceSslRedirect, settings.SslRedirect);
    }

    private static string? Unprefixed(string key)
    {
        foreach (var (name, prefix) in Supported)
        {
            if (key == prefix + name)
            {
                return name;
            }
        }

        return null;
    }

    private static string PolicyName(IReadOnlyDictionary<string, string> names, string mode) => names.First(kv => kv.Value == mode).Key;
}
