using k8s.Models;

namespace Chat.IngressController.GatewayApi.Models;

/// <summary>
/// chat.io/v1alpha1 ConnectionPolicy: what the Gateway API lacks for long-lived connections, attached (GEP-713 direct
/// attachment) to a Service or an HTTPRoute. Durations use the Gateway API's format (e.g. 20m, 1200s, 1h30m).
/// </summary>
public sealed class ConnectionPolicy : GatewayApiObject
{
    public ConnectionPolicySpec Spec { get; set; } = new();
    public PolicyStatus? Status { get; set; }
}

public sealed class ConnectionPolicySpec
{
    public IList<LocalPolicyTargetReference> TargetRefs { get; set; } = [];

    /// <summary>Long-lived connections (WebSocket, SignalR negotiate): LeastConnections (cluster-wide), RoundRobin or PowerOfTwoChoices.</summary>
    public string? Balancing { get; set; }

    /// <summary>Other requests: RoundRobin, LeastRequests or PowerOfTwoChoices.</summary>
    public string? RequestBalancing { get; set; }

    public IdleTimeouts? IdleTimeout { get; set; }

    /// <summary>How long a serving-but-terminating endpoint keeps requests bound to it, and how long a removed route's connections take to drain.</summary>
    public string? DrainTimeout { get; set; }

    /// <summary>Path probed on every endpoint; its X-Chat-Connections header feeds cluster-wide least connections.</summary>
    public string? ReadinessPath { get; set; }

    public string? ConnectTimeout { get; set; }

    public UpstreamKeepAlive? UpstreamKeepAlive { get; set; }
}

public sealed class LocalPolicyTargetReference
{
    public string Group { get; set; } = "";
    public string Kind { get; set; } = "";
    public string Name { get; set; } = "";
}

public sealed class IdleTimeouts
{
    /// <summary>No data from the backend for this long closes the connection (ingress-nginx proxy-read-timeout).</summary>
    public string? Read { get; set; }

    /// <summary>No data from the client for this long closes the connection (ingress-nginx proxy-send-timeout).</summary>
    public string? Send { get; set; }
}

public sealed class UpstreamKeepAlive
{
    public string? IdleTimeout { get; set; }
    public int? MaxConnections { get; set; }
}

public sealed class PolicyStatus
{
    public IList<PolicyAncestorStatus>? Ancestors { get; set; }
}

public sealed class PolicyAncestorStatus
{
    public ParentReference AncestorRef { get; set; } = new();
    public string ControllerName { get; set; } = "";
    public IList<V1Condition> Conditions { get; set; } = [];
}
