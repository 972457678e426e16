using k8s.Models;

namespace Chat.IngressController.GatewayApi.Models;

/// <summary>gateway.networking.k8s.io/v1 Gateway.</summary>
public sealed class Gateway : GatewayApiObject
{
    public GatewaySpec Spec { get; set; } = new();
    public GatewayStatus? Status { get; set; }
}

public sealed class GatewaySpec
{
    public string GatewayClassName { get; set; } = "";
    public IList<Listener> Listeners { get; set; } = [];
    public IList<GatewayAddress>? Addresses { get; set; }
    public GatewayInfrastructure? Infrastructure { get; set; }
}

public sealed class Listener
{
    public string Name { get; set; } = "";
    public string? Hostname { get; set; }
    public int Port { get; set; }
    public string Protocol { get; set; } = "";
    public GatewayTlsConfig? Tls { get; set; }
    public AllowedRoutes? AllowedRoutes { get; set; }
}

public sealed class GatewayTlsConfig
{
    public string? Mode { get; set; }
    public IList<SecretObjectReference>? CertificateRefs { get; set; }
}

public sealed class SecretObjectReference
{
    public string? Group { get; set; }
    public string? Kind { get; set; }
    public string Name { get; set; } = "";
    public string? Namespace { get; set; }
}

public sealed class AllowedRoutes
{
    public RouteNamespaces? Namespaces { get; set; }
    public IList<RouteGroupKind>? Kinds { get; set; }
}

public sealed class RouteNamespaces
{
    /// <summary>All, Same (default) or Selector.</summary>
    public string? From { get; set; }
    public V1LabelSelector? Selector { get; set; }
}

public sealed class RouteGroupKind
{
    public string? Group { get; set; }
    public string Kind { get; set; } = "";
}

public sealed class GatewayAddress
{
    public string? Type { get; set; }
    public string? Value { get; set; }
}

public sealed class GatewayInfrastructure
{
    public IDictionary<string, string>? Labels { get; set; }
    public IDictionary<string, string>? Annotations { get; set; }
    public ParametersReference? ParametersRef { get; set; }
}

public sealed class GatewayStatus
{
    public IList<GatewayAddress>? Addresses { get; set; }
    public IList<V1Condition>? Conditions { get; set; }
    public IList<ListenerStatus>? Listeners { get; set; }
}

public sealed class ListenerStatus
{
    public string Name { get; set; } = "";
    public IList<RouteGroupKind> SupportedKinds { get; set; } = [];
    public int AttachedRoutes { get; set; }
    public IList<V1Condition> Conditions { get; set; } = [];
}
