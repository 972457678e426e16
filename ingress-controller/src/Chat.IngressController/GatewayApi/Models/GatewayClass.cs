using k8s.Models;

namespace Chat.IngressController.GatewayApi.Models;

/// <summary>gateway.networking.k8s.io/v1 GatewayClass (cluster-scoped).</summary>
public sealed class GatewayClass : GatewayApiObject
{
    public GatewayClassSpec Spec { get; set; } = new();
    public GatewayClassStatus? Status { get; set; }
}

public sealed class GatewayClassSpec
{
    public string ControllerName { get; set; } = "";
    public ParametersReference? ParametersRef { get; set; }
    public string? Description { get; set; }
}

public sealed class ParametersReference
{
    public string Group { get; set; } = "";
    public string Kind { get; set; } = "";
    public string Name { get; set; } = "";
    public string? Namespace { get; set; }
}

public sealed class GatewayClassStatus
{
    public IList<V1Condition>? Conditions { get; set; }
}
