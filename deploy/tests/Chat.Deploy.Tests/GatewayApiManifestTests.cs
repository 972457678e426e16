using System.Globalization;
using System.Text.Json.Nodes;
using Chat.Deploy.Tests.Infrastructure;
using Chat.IngressController.GatewayApi.Translation;
using Chat.IngressController.Hosting;

namespace Chat.Deploy.Tests;

/// <summary>
/// k8s/gateway-api (the Gateway API path, applied on top of k8s/ instead of the Ingress): renders into the chat
/// namespace, validates against the Gateway API and ConnectionPolicy schemas, and routes like the reference Ingress.
/// </summary>
public sealed class GatewayApiManifestTests
{
    [Fact]
    public async Task The_gateway_api_folder_renders_into_the_chat_namespace_and_the_class_is_cluster_scoped()
    {
        var objects = await Rendered.GatewayApiAsync();

        Assert.Equal(
            ["ConnectionPolicy chat/chat", "CustomResourceDefinition connectionpolicies.chat.io", "Gateway chat/chat", "GatewayClass chat", "HTTPRoute chat/chat"],
            objects.OfType<JsonObject>().Select(o => o.Id()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Every_gateway_api_object_matches_its_schema()
    {
        var objects = await Rendered.GatewayApiAsync();

        Assert.Empty(await JsonSchemas.ValidateAsync(objects));
    }

    [Fact]
    public async Task A_policy_value_outside_its_crd_schema_fails()
    {
        var objects = await Rendered.GatewayApiAsync();
        var spec = objects.Single("ConnectionPolicy", "chat")["spec"]!;
        spec["balancing"] = "least_conn";
        spec["idleTimeout"]!["read"] = "1200";

        var problems = await JsonSchemas.ValidateAsync(objects);

        Assert.Contains(problems, p => p.Contains("ConnectionPolicy chat/chat") && p.Contains("/spec/balancing"));
        Assert.Contains(problems, p => p.Contains("ConnectionPolicy chat/chat") && p.Contains("/spec/idleTimeout/read"));
    }

    [Fact]
    public async Task A_misspelt_field_that_the_cluster_would_drop_is_caught()
    {
        var objects = await Rendered.GatewayApiAsync();
        objects.Single("ConnectionPolicy", "chat")["spec"]!["idelTimeout"] = new JsonObject();
        objects.Single("HTTPRoute", "chat")["spec"]!["rules"]![0]!["backendRef"] = new JsonArray();

        var problems = await JsonSchemas.ValidateAsync(objects);

        Assert.Contains(problems, p => p.Contains("ConnectionPolicy chat/chat") && p.Contains("/spec/idelTimeout is not a field of the schema"));
        Assert.Contains(problems, p => p.Contains("HTTPRoute chat/chat") && p.Contains("/spec/rules/0/backendRef is not a field of the schema"));
    }

    [Fact]
    public async Task An_httproute_outside_the_gateway_api_schema_fails()
    {
        var objects = await Rendered.GatewayApiAsync();
        var rule = objects.Single("HTTPRoute", "chat")["spec"]!["rules"]![0]!;
        rule["matches"]![0]!["path"]!["type"] = "Prefix";

        var problems = await JsonSchemas.ValidateAsync(objects);

        Assert.Contains(problems, p => p.Contains("HTTPRoute chat/chat") && p.Contains("/spec/rules/0/matches/0/path/type"));
    }

    [Fact]
    public async Task The_gateway_is_the_controllers_and_routes_like_the_reference_ingress()
    {
        var gatewayApi = await Rendered.GatewayApiAsync();
        var ingress = (await Rendered.KubernetesAsync()).Single("Ingress", "chat");
        var gatewayClass = gatewayApi.Single("GatewayClass", "chat");
        var gateway = gatewayApi.Single("Gateway", "chat");
        var route = gatewayApi.Single("HTTPRoute", "chat");

        Assert.Equal(new IngressControllerOptions().GatewayControllerName, gatewayClass["spec"]!["controllerName"]!.GetValue<string>());
        Assert.Equal("chat", gateway["spec"]!["gatewayClassName"]!.GetValue<string>());
        Assert.Equal(["chat"], route["spec"]!["parentRefs"].Array().Select(p => p["name"]!.GetValue<string>()));

        var host = ingress["spec"]!["rules"]![0]!["host"]!.GetValue<string>();
        Assert.All(gateway["spec"]!["listeners"].Array(), l => Assert.Equal(host, l["hostname"]!.GetValue<string>()));
        Assert.Equal([host], route["spec"]!["hostnames"]!.AsArray().Select(h => h!.GetValue<string>()));

        // Every Ingress path prefix goes to the same Service and port through the HTTPRoute.
        var ingressPaths = ingress["spec"]!["rules"]![0]!["http"]!["paths"].Array()
            .Select(p => (p["path"]!.GetValue<string>(), Backend(p["backend"]!["service"]!["name"], p["backend"]!["service"]!["port"]!["number"])));
        var routePaths = route["spec"]!["rules"].Array()
            .SelectMany(r => r["matches"].Array().Select(m => (m["path"]!["value"]!.GetValue<string>(), Backend(r["backendRefs"]![0]!["name"], r["backendRefs"]![0]!["port"]))));
        Assert.Equal(ingressPaths.Order(), routePaths.Order());
    }

    [Fact]
    public async Task The_connection_policy_says_what_the_ingress_annotations_say_for_every_backend()
    {
        var gatewayApi = await Rendered.GatewayApiAsync();
        var ingress = (await Rendered.KubernetesAsync()).Single("Ingress", "chat");
        var annotations = ingress.Annotations();
        var policy = gatewayApi.Single("ConnectionPolicy", "chat")["spec"]!;

        var backends = ingress["spec"]!["rules"]![0]!["http"]!["paths"].Array().Select(p => p["backend"]!["service"]!["name"]!.GetValue<string>()).ToHashSet();
        Assert.Equal(backends.Order(), policy["targetRefs"].Array().Where(t => t["kind"]!.GetValue<string>() == "Service").Select(t => t["name"]!.GetValue<string>()).Order());

        Assert.Equal("least_conn", annotations["nginx.ingress.kubernetes.io/load-balance"]);
        Assert.Equal("LeastConnections", policy["balancing"]!.GetValue<string>());
        Assert.Equal(Seconds(annotations["nginx.ingress.kubernetes.io/proxy-read-timeout"]), Duration(policy["idleTimeout"]!["read"]));
        Assert.Equal(Seconds(annotations["nginx.ingress.kubernetes.io/proxy-send-timeout"]), Duration(policy["idleTimeout"]!["send"]));
        Assert.Equal(Seconds(annotations["nginx.ingress.kubernetes.io/upstream-keepalive-timeout"]), Duration(policy["upstreamKeepAlive"]!["idleTimeout"]));
        Assert.Equal(long.Parse(annotations["nginx.ingress.kubernetes.io/upstream-keepalive-connections"], CultureInfo.InvariantCulture), policy["upstreamKeepAlive"]!["maxConnections"].Number());
        Assert.Equal(annotations["chat.io/readiness-path"], policy["readinessPath"]!.GetValue<string>());
        Assert.Equal(Seconds(annotations["chat.io/drain-timeout"]), Duration(policy["drainTimeout"]));
    }

    private static string Backend(JsonNode? name, JsonNode? port) => $"{name!.GetValue<string>()}:{port.Number()}";

    private static TimeSpan Seconds(string value) => TimeSpan.FromSeconds(int.Parse(value, CultureInfo.InvariantCulture));

    private static TimeSpan? Duration(JsonNode? value) => GatewayDuration.Parse(value?.GetValue<string>());
}
