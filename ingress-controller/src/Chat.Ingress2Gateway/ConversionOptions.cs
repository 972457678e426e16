namespace Chat.Ingress2Gateway;

/// <summary>How the converted objects attach: a Gateway written per namespace, or an existing one given by name.</summary>
public sealed record ConversionOptions
{
    /// <summary>The GatewayClass of the written Gateways (the controller's is "chat"); also the Gateways' name.</summary>
    public string GatewayClass { get; init; } = "chat";

    /// <summary>
    /// The controller's own Service, asked for in the written Gateways' spec.addresses (a NamedAddress), so that
    /// they stay on the address the Ingresses had; null = no address asked (a Gateway of its own address).
    /// </summary>
    public string? ControllerService { get; init; } = "chat-ingress-controller";

    /// <summary>An existing Gateway (namespace/name) the HTTPRoutes attach to; then no Gateway is written.</summary>
    public (string? Namespace, string Name)? Gateway { get; init; }
}
