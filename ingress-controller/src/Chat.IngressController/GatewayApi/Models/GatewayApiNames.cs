namespace Chat.IngressController.GatewayApi.Models;

/// <summary>API groups, versions, kinds and plural resource names of the Gateway API and of this project's policy.</summary>
public static class GatewayApiNames
{
    public const string Group = "gateway.networking.k8s.io";
    public const string Version = "v1";
    public const string ReferenceGrantVersion = "v1beta1";
    public const string ApiVersion = Group + "/" + Version;

    public const string GatewayClassKind = "GatewayClass";
    public const string GatewayKind = "Gateway";
    public const string HttpRouteKind = "HTTPRoute";
    public const string ReferenceGrantKind = "ReferenceGrant";

    public const string GatewayClasses = "gatewayclasses";
    public const string Gateways = "gateways";
    public const string HttpRoutes = "httproutes";
    public const string ReferenceGrants = "referencegrants";

    /// <summary>This project's policy for what the standard lacks (least connections, idle timeouts, drain).</summary>
    public const string PolicyGroup = "chat.io";
    public const string PolicyVersion = "v1alpha1";
    public const string PolicyKind = "ConnectionPolicy";
    public const string Policies = "connectionpolicies";

    /// <summary>GEP-1911 application protocols of a Service port.</summary>
    public const string WebSocketProtocol = "kubernetes.io/ws";
    public const string SecureWebSocketProtocol = "kubernetes.io/wss";
    public const string H2cProtocol = "kubernetes.io/h2c";
}
