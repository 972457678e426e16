namespace Chat.IngressController.GatewayApi.Models;

/// <summary>gateway.networking.k8s.io/v1beta1 ReferenceGrant: lets objects of other namespaces refer to objects of its own.</summary>
public sealed class ReferenceGrant : GatewayApiObject
{
    public ReferenceGrantSpec Spec { get; set; } = new();
}

public sealed class ReferenceGrantSpec
{
    public IList<ReferenceGrantFrom> From { get; set; } = [];
    public IList<ReferenceGrantTo> To { get; set; } = [];
}

public sealed class ReferenceGrantFrom
{
    public string Group { get; set; } = "";
    public string Kind { get; set; } = "";
    public string Namespace { get; set; } = "";
}

public sealed class ReferenceGrantTo
{
    public string Group { get; set; } = "";
    public string Kind { get; set; } = "";
    public string? Name { get; set; }
}
