using System.Globalization;

namespace Chat.Proxy.Routing;

/// <summary>
/// One entry of a route's host list, read the way ASP.NET Core's <c>HostMatcherPolicy</c> reads it: <c>host</c>,
/// <c>host:port</c>, <c>host:*</c>, <c>*:port</c>, <c>*</c>, and <c>*.suffix</c> for any name ending in <c>.suffix</c>.
/// Keys compare ordinally; request hosts match case-insensitively.
/// </summary>
internal readonly record struct HostKey
{
    private const string AnyHost = "*";
    private const string WildcardPrefix = "*.";

    public static readonly HostKey Any = new(AnyHost, null);

    private HostKey(string host, int? port)
    {
        Host = host;
        Port = port;
        IsWildcard = host.StartsWith(WildcardPrefix, StringComparison.Ordinal);
    }

    public string Host { get; }

    public int? Port { get; }

    /// <summary>A <c>*.suffix</c> host.</summary>
    public bool IsWildcard { get; }

    public bool MatchesAnyHost => Host == AnyHost;

    /// <summary>Lower is tried first: host and port, host, wildcard and port, wildcard, port, anything.</summary>
    public int Precedence => (MatchesAnyHost, IsWildcard, Port is null) switch
    {
        (false, false, false) => 1,
        (false, false, true) => 2,
        (false, true, false) => 3,
        (false, true, true) => 4,
        (true, _, false) => 5,
        _ => 6,
    };

    /// <summary>Reads a host entry; false for what ASP.NET Core's host policy would refuse too.</summary>
    public static bool TryParse(string host, out HostKey key)
    {
        key = Any;
        Span<Range> parts = stackalloc Range[3];
        var span = host.AsSpan();
        var count = span.Split(parts, ':');
        if (count is < 1 or > 2 || span[parts[0]].IsEmpty)
        {
            return false;
        }

        if (count == 1)
        {
            key = new HostKey(host, null);
            return true;
        }

        var name = span[parts[0]].ToString();
        if (int.TryParse(span[parts[1]], NumberStyles.Integer, CultureInfo.InvariantCulture, out var port))
        {
            key = new HostKey(name, port);
            return true;
        }

        if (span[parts[1]] is AnyHost)
        {
            key = new HostKey(name, null);
            return true;
        }

        return false;
    }

    /// <summary>Whether a request's host name (without the port) falls under this key.</summary>
    public bool MatchesHost(string host) =>
        MatchesAnyHost
        || (IsWildcard ? host.AsSpan().EndsWith(Host.AsSpan(1), StringComparison.OrdinalIgnoreCase) : string.Equals(host, Host, StringComparison.OrdinalIgnoreCase));

    /// <summary>Whether the endpoints of a wildcard <paramref name="other"/> also belong under this wildcard.</summary>
    public bool Covers(HostKey other) => IsWildcard && other.IsWildcard && Port == other.Port && MatchesHost(other.Host);

    public override string ToString() => $"{Host}:{Port?.ToString(CultureInfo.InvariantCulture) ?? AnyHost}";
}
