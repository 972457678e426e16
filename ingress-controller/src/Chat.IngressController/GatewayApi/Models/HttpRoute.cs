using k8s.Models;

namespace Chat.IngressController.GatewayApi.Models;

/// <summary>gateway.networking.k8s.io/v1 HTTPRoute.</summary>
public sealed class HttpRoute : GatewayApiObject
{
    public HttpRouteSpec Spec { get; set; } = new();
    public RouteStatus? Status { get; set; }
}

public sealed class HttpRouteSpec
{
    public IList<ParentReference>? ParentRefs { get; set; }
    public IList<string>? Hostnames { get; set; }
    public IList<HttpRouteRule>? Rules { get; set; }
}

public sealed class ParentReference
{
    public string? Group { get; set; }
    public string? Kind { get; set; }
    public string? Namespace { get; set; }
    public string Name { get; set; } = "";
    public string? SectionName { get; set; }
    public int? Port { get; set; }
}

public sealed class HttpRouteRule
{
    public string? Name { get; set; }
    public IList<HttpRouteMatch>? Matches { get; set; }
    public IList<HttpRouteFilter>? Filters { get; set; }
    public IList<HttpBackendRef>? BackendRefs { get; set; }
    public HttpRouteTimeouts? Timeouts { get; set; }
}

public sealed class HttpRouteMatch
{
    public HttpPathMatch? Path { get; set; }
    public IList<HttpHeaderMatch>? Headers { get; set; }
    public IList<HttpQueryParamMatch>? QueryParams { get; set; }
    public string? Method { get; set; }
}

public sealed class HttpPathMatch
{
    /// <summary>Exact, PathPrefix (default) or RegularExpression.</summary>
    public string? Type { get; set; }
    public string? Value { get; set; }
}

public sealed class HttpHeaderMatch
{
    /// <summary>Exact (default) or RegularExpression.</summary>
    public string? Type { get; set; }
    public string Name { get; set; } = "";
    public string Value { get; set; } = "";
}

public sealed class HttpQueryParamMatch
{
    public string? Type { get; set; }
    public string Name { get; set; } = "";
    public string Value { get; set; } = "";
}

public sealed class HttpRouteFilter
{
    public string Type { get; set; } = "";
    public HttpHeaderFilter? RequestHeaderModifier { get; set; }
    public HttpHeaderFilter? ResponseHeaderModifier { get; set; }
    public HttpRequestRedirectFilter? RequestRedirect { get; set; }
    public HttpUrlRewriteFilter? UrlRewrite { get; set; }
    public HttpRequestMirrorFilter? RequestMirror { get; set; }
    public LocalObjectReference? ExtensionRef { get; set; }
}

public sealed class HttpHeaderFilter
{
    public IList<HttpHeader>? Set { get; set; }
    public IList<HttpHeader>? Add { get; set; }
    public IList<string>? Remove { get; set; }
}

public sealed class HttpHeader
{
    public string Name { get; set; } = "";
    public string Value { get; set; } = "";
}

public sealed class HttpRequestRedirectFilter
{
    public string? Scheme { get; set; }
    public string? Hostname { get; set; }
    public HttpPathModifier? Path { get; set; }
    public int? Port { get; set; }
    public int? StatusCode { get; set; }
}

public sealed class HttpUrlRewriteFilter
{
    public string? Hostname { get; set; }
    public HttpPathModifier? Path { get; set; }
}

public sealed class HttpPathModifier
{
    /// <summary>ReplaceFullPath or ReplacePrefixMatch.</summary>
    public string Type { get; set; } = "";
    public string? ReplaceFullPath { get; set; }
    public string? ReplacePrefixMatch { get; set; }
}

public sealed class HttpRequestMirrorFilter
{
    public BackendObjectReference? BackendRef { get; set; }
}

public sealed class LocalObjectReference
{
    public string Group { get; set; } = "";
    public string Kind { get; set; } = "";
    public string Name { get; set; } = "";
}

public class BackendObjectReference
{
    public string? Group { get; set; }
    public string? Kind { get; set; }
    public string Name { get; set; } = "";
    public string? Namespace { get; set; }
    public int? Port { get; set; }
}

public sealed class HttpBackendRef : BackendObjectReference
{
    public int? Weight { get; set; }
    public IList<HttpRouteFilter>? Filters { get; set; }
}

public sealed class HttpRouteTimeouts
{
    public string? Request { get; set; }
    public string? BackendRequest { get; set; }
}

public sealed class RouteStatus
{
    public IList<RouteParentStatus>? Parents { get; set; }
}

public sealed class RouteParentStatus
{
    public ParentReference ParentRef { get; set; } = new();
    public string ControllerName { get; set; } = "";
    public IList<V1Condition> Conditions { get; set; } = [];
}
