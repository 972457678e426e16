using System.Text.Json;
using System.Text.Json.Serialization;

namespace Chat.IngressController.GatewayApi;

/// <summary>
/// What one HTTPRoute match does beyond YARP's own route match, carried in the YARP route's metadata under
/// <see cref="MetadataKey"/> as JSON: written by the translation, read (once per route model) by the proxy side
/// (matcher policy, request handling, transforms, backend weights).
/// </summary>
public sealed record GatewayRouteBehavior
{
    public const string MetadataKey = "Chat.Gateway";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>The HTTPRoute, "namespace/name".</summary>
    public string Route { get; init; } = "";

    /// <summary>The controller port the route's listeners are served on (HTTP or HTTPS).</summary>
    public int LocalPort { get; init; }

    /// <summary>Hostnames of the listeners the route is attached to ("" = a listener without hostname), for listener isolation.</summary>
    public IReadOnlyList<string> Listeners { get; init; } = [];

    /// <summary>The port and scheme clients reach the listener on (redirects derive from them).</summary>
    public int ListenerPort { get; init; }

    public string Scheme { get; init; } = "http";

    public string PathType { get; init; } = PathTypes.PathPrefix;

    public string Path { get; init; } = "/";

    /// <summary>The method match, if any (checked here, not by ASP.NET routing, so a mismatch is a 404 like any other).</summary>
    public string? Method { get; init; }

    public IReadOnlyList<ValueMatch>? Headers { get; init; }

    public IReadOnlyList<ValueMatch>? QueryParams { get; init; }

    public HeaderChanges? RequestHeaders { get; init; }

    public HeaderChanges? ResponseHeaders { get; init; }

    public RedirectAction? Redirect { get; init; }

    public RewriteAction? Rewrite { get; init; }

    /// <summary>The rule's backends in order (index = destination's backend index); null when the rule has one valid backend and no per-backend filters.</summary>
    public IReadOnlyList<BackendChoice>? Backends { get; init; }

    /// <summary>No usable backend at all: every request gets 500, as the specification says.</summary>
    public bool NoBackend { get; init; }

    /// <summary>timeouts.request / backendRequest (the smaller), seconds; plain requests get 504 past it.</summary>
    public double? TimeoutSeconds { get; init; }

    /// <summary>Seconds over which this route's open WebSockets are closed once the route is removed.</summary>
    public double DrainSeconds { get; init; }

    public string Serialize() => JsonSerializer.Serialize(this, Json);

    public static GatewayRouteBehavior? Parse(IReadOnlyDictionary<string, string>? metadata) =>
        metadata is not null && metadata.TryGetValue(MetadataKey, out var json) ? JsonSerializer.Deserialize<GatewayRouteBehavior>(json, Json) : null;
}

public static class PathTypes
{
    public const string Exact = "Exact";
    public const string PathPrefix = "PathPrefix";
    public const string RegularExpression = "RegularExpression";
}

/// <summary>A header or query parameter match: exact (case-sensitive value) or a regular expression.</summary>
public sealed record ValueMatch(string Name, string Value, bool Regex);

/// <summary>RequestHeaderModifier / ResponseHeaderModifier.</summary>
public sealed record HeaderChanges(IReadOnlyList<KeyValuePair<string, string>> Set, IReadOnlyList<KeyValuePair<string, string>> Add, IReadOnlyList<string> Remove);

/// <summary>RequestRedirect: null fields keep the request's own value.</summary>
public sealed record RedirectAction(string? Scheme, string? Hostname, int? Port, string? FullPath, string? PrefixReplacement, int StatusCode);

/// <summary>URLRewrite: null fields keep the request's own value.</summary>
public sealed record RewriteAction(string? Hostname, string? FullPath, string? PrefixReplacement);

/// <summary>One backendRef of a rule: its weight, whether it resolved, and its own RequestHeaderModifier.</summary>
public sealed record BackendChoice(int Weight, bool Valid, HeaderChanges? RequestHeaders);
