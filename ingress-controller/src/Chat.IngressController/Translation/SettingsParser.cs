using System.Globalization;
using System.Net;
using static Chat.IngressController.Translation.AnnotationNames;

namespace Chat.IngressController.Translation;

/// <summary>
/// Reads <see cref="BackendSettings"/> from ingress-nginx style values (ConfigMap keys or Ingress annotations).
/// A value that does not parse is reported and the default kept: one bad annotation never disables an Ingress.
/// </summary>
public static class SettingsParser
{
    /// <summary>Applies ConfigMap data (keys without prefix) on top of the built-in defaults.</summary>
    public static BackendSettings FromConfigMap(BackendSettings baseline, IDictionary<string, string>? data, ICollection<string> problems) =>
        Apply(baseline, Unprefixed(data), problems, "ConfigMap key");

    /// <summary>Applies an Ingress's annotations on top of the global settings.</summary>
    public static BackendSettings FromAnnotations(BackendSettings defaults, IDictionary<string, string>? annotations, ICollection<string> problems)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in annotations ?? new Dictionary<string, string>())
        {
            var (prefix, name) = Split(key);
            if (prefix is null)
            {
                continue;
            }

            if (Supported.TryGetValue(name, out var expectedPrefix) && expectedPrefix == prefix)
            {
                values[name] = value;
            }
            else if (prefix == NginxPrefix || prefix == ChatPrefix)
            {
                problems.Add($"annotation {key} is not supported by this controller and is ignored");
            }
        }

        return Apply(defaults, values, problems, "annotation");
    }

    private static (string? Prefix, string Name) Split(string key)
    {
        foreach (var prefix in new[] { NginxPrefix, ChatPrefix })
        {
            if (key.StartsWith(prefix, StringComparison.Ordinal))
            {
                return (prefix, key[prefix.Length..]);
            }
        }

        return (null, key);
    }

    private static Dictionary<string, string> Unprefixed(IDictionary<string, string>? data) =>
        (data ?? new Dictionary<string, string>()).Where(kv => Supported.ContainsKey(kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value);

    private static BackendSettings Apply(BackendSettings s, IReadOnlyDictionary<string, string> v, ICollection<string> problems, string what)
    {
        T? Read<T>(string key, Func<string, T?> parse, string expected)
            where T : struct
        {
            if (!v.TryGetValue(key, out var raw))
            {
                return null;
            }

            var parsed = parse(raw.Trim());
            if (parsed is null)
            {
                problems.Add($"{what} {PrefixOf(key)}{key}: \"{raw}\" is not {expected}; the default is used");
            }

            return parsed;
        }

        var sourceRanges = v.ContainsKey(AllowlistSourceRange) ? AllowlistSourceRange : WhitelistSourceRange;
        var affinity = v.GetValueOrDefault(Affinity)?.Trim();
        if (affinity is not null && affinity != "cookie")
        {
            problems.Add($"{what} {NginxPrefix}{Affinity}: \"{affinity}\" is not supported (only \"cookie\"); no affinity is used");
            affinity = null;
        }

        if (v.TryGetValue(ReadinessPath, out var readiness) && !(readiness.Trim().Length > 1 && readiness.Trim().StartsWith('/')))
        {
            problems.Add($"{what} {ChatPrefix}{ReadinessPath}: \"{readiness}\" is not a path like /readyz; no readiness probe is used");
        }

        var ranges = v.TryGetValue(sourceRanges, out var rawRanges) ? ParseRanges(rawRanges, sourceRanges, what, problems) : null;
        return s with
        {
            ReadTimeout = Read(ProxyReadTimeout, ParsePositiveSeconds, "a number of seconds > 0") ?? s.ReadTimeout,
            SendTimeout = Read(ProxySendTimeout, ParsePositiveSeconds, "a number of seconds > 0") ?? s.SendTimeout,
            ConnectTimeout = Read(ProxyConnectTimeout, ParsePositiveSeconds, "a number of seconds > 0") ?? s.ConnectTimeout,
            HttpBalance = Read(HttpLoadBalance, ParseBalance, "round_robin, least_conn or ewma")
                ?? Read(LoadBalance, ParseBalance, "round_robin, least_conn or ewma") ?? s.HttpBalance,
            ReadinessPath = v.GetValueOrDefault(ReadinessPath)?.Trim() is { Length: > 1 } probe && probe.StartsWith('/') ? probe : s.ReadinessPath,
            WebSocketBalance = Read(WebSocketLoadBalance, ParseBalance, "round_robin, least_conn or ewma")
                ?? (v.ContainsKey(LoadBalance) ? ParseBalance(v[LoadBalance].Trim()) : null) ?? s.WebSocketBalance,
            AffinityCookie = affinity == "cookie"
                ? (v.GetValueOrDefault(SessionCookieName)?.Trim() is { Length: > 0 } name ? name : "INGRESSCOOKIE")
                : s.AffinityCookie,
            SessionCookiePath = v.GetValueOrDefault(SessionCookiePath)?.Trim() is { Length: > 0 } path && path.StartsWith('/') ? path : s.SessionCookiePath,
            SessionCookieMaxAge = Read(SessionCookieMaxAge, ParseSeconds, "a number of seconds") ?? s.SessionCookieMaxAge,
            MaxBodySize = Read(ProxyBodySize, ParseSize, "a size like 8m, 512k or 0") ?? s.MaxBodySize,
            SslRedirect = Read(SslRedirect, ParseBool, "true or false") ?? s.SslRedirect,
            ForceSslRedirect = Read(ForceSslRedirect, ParseBool, "true or false") ?? s.ForceSslRedirect,
            AllowSourceRanges = ranges ?? s.AllowSourceRanges,
            DenyAll = s.DenyAll || (v.ContainsKey(sourceRanges) && ranges is null),
            KeepaliveConnections = Read(UpstreamKeepaliveConnections, ParseCount, "a non-negative integer") ?? s.KeepaliveConnections,
            KeepaliveTimeout = Read(UpstreamKeepaliveTimeout, ParsePositiveSeconds, "a number of seconds > 0") ?? s.KeepaliveTimeout,
            DrainTimeout = Read(DrainTimeout, ParseSeconds, "a number of seconds") ?? s.DrainTimeout,
        };
    }

    private static string PrefixOf(string key) => Supported.GetValueOrDefault(key, "");

    /// <summary>nginx time: plain seconds, or a number with ms, s, m, h or d.</summary>
    public static TimeSpan? ParseSeconds(string raw)
    {
        var units = new (string Suffix, double Seconds)[] { ("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86400), ("", 1) };
        foreach (var (suffix, seconds) in units)
        {
            if (raw.EndsWith(suffix, StringComparison.Ordinal)
                && double.TryParse(raw[..^suffix.Length], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n)
                && n >= 0 && n * seconds <= TimeSpan.FromDays(7).TotalSeconds)
            {
                return TimeSpan.FromSeconds(n * seconds);
            }
        }

        return null;
    }

    public static TimeSpan? ParsePositiveSeconds(string raw) => ParseSeconds(raw) is { } t && t > TimeSpan.Zero ? t : null;

    /// <summary>nginx size: bytes, or a number with k, m or g (either case); 0 = unlimited.</summary>
    public static long? ParseSize(string raw)
    {
        var multiplier = char.ToLowerInvariant(raw.LastOrDefault()) switch
        {
            'k' => 1024L,
            'm' => 1024L * 1024,
            'g' => 1024L * 1024 * 1024,
            _ => 1L,
        };
        var digits = multiplier == 1 ? raw : raw[..^1];
        return long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n <= long.MaxValue / multiplier ? n * multiplier : null;
    }

    public static BalanceMode? ParseBalance(string raw) => raw switch
    {
        "round_robin" => BalanceMode.RoundRobin,
        "least_conn" => BalanceMode.LeastConnections,
        "ewma" => BalanceMode.Ewma,
        _ => null,
    };

    private static bool? ParseBool(string raw) => bool.TryParse(raw, out var b) ? b : null;

    private static int? ParseCount(string raw) => int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;

    private static IReadOnlyList<IPNetwork>? ParseRanges(string raw, string key, string what, ICollection<string> problems)
    {
        var ranges = new List<IPNetwork>();
        foreach (var part in raw.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (IPNetwork.TryParse(part, out var network))
            {
                ranges.Add(network);
            }
            else if (IPAddress.TryParse(part, out var address))
            {
                ranges.Add(new IPNetwork(address, address.GetAddressBytes().Length * 8));
            }
            else
            {
                problems.Add($"{what} {NginxPrefix}{key}: \"{part}\" is not a CIDR range; every request is denied (403) until it is fixed");
                return null;
            }
        }

        return ranges;
    }
}
