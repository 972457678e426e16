namespace Chat.IngressController.Tests.GatewayApi;

/// <summary>
/// The YAML of the objects the conformance cases keep declaring: a Gateway of class chat and an HTTPRoute, in
/// gateway-conformance-infra unless told. Listeners, rules and extra spec fields are YAML lines indented by two
/// (<c>"  - {name: http, port: 80, protocol: HTTP}"</c>), parent references flow mappings (<see cref="Parent"/>).
/// </summary>
public static class ConformanceYaml
{
    public static string Gateway(string name, string listeners, string ns = GatewayFixture.Infra, string extra = "") => $"""
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {"{"}name: {name}, namespace: {ns}{"}"}
        spec:
          gatewayClassName: {GatewayFixture.ClassName}
        {extra}
          listeners:
        {listeners}
        """;

    public static string Route(string name, string rules, string parent = "same-namespace", string ns = GatewayFixture.Infra, string extra = "") => $"""
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {"{"}name: {name}, namespace: {ns}{"}"}
        spec:
          parentRefs: [{parent}]
        {extra}
          rules:
        {rules}
        """;

    /// <summary>One rule forwarding everything to a Service's port 8080.</summary>
    public static string BackendRule(string service) => $"  - backendRefs: [{{name: {service}, port: 8080}}]";

    public static string Parent(string name, string? ns = null) => ns is null ? $"{{name: {name}}}" : $"{{name: {name}, namespace: {ns}}}";

    /// <summary>Documents of one manifest.</summary>
    public static string All(params string[] documents) => string.Join("\n---\n", documents);
}
