using Chat.Deploy.Tests.Checks;
using Chat.Deploy.Tests.Infrastructure;

namespace Chat.Deploy.Tests;

/// <summary>The settings the chat pods and the autoscalers need as shipped, and the namespace named once.</summary>
public sealed class ShippedSettingsTests
{
    private static readonly string OtherNamespace = Repository.Path("deploy", "tests", "Chat.Deploy.Tests", "overlays", "other-namespace");

    [Fact]
    public async Task Metrics_ports_pools_listen_ports_and_keda_queries_are_as_needed()
    {
        Assert.Empty(ShippedSettings.Find(await Rendered.KubernetesAsync()));
    }

    [Fact]
    public async Task Metrics_on_the_service_port_urls_over_http_ports_no_pool_or_a_fragile_query_is_caught()
    {
        var objects = await Rendered.KubernetesAsync();
        var ws = objects.Single("Deployment", "chat-ws").PodTemplate().Containers().First();
        var env = ws["env"]!.AsArray();
        env.Remove(env.First(e => e!["name"]!.ToString() == "Balancing__Pool"));
        env.Add(System.Text.Json.Nodes.JsonNode.Parse("""{"name":"ASPNETCORE_URLS","value":"http://+:8080"}"""));
        objects.Single("Service", "chat-ws")["spec"]!["ports"]![0]!["targetPort"] = "metrics";
        var trigger = objects.Single("ScaledObject", "chat-ws")["spec"]!["triggers"]![0]!["metadata"]!;
        trigger["query"] = "sum(chat_connections_active{component=\"websocket\"})";
        trigger.AsObject().Remove("ignoreNullValues");

        var problems = ShippedSettings.Find(objects);

        Assert.Contains(problems, p => p.Contains("exposes the metrics port"));
        Assert.Contains(problems, p => p.Contains("Overriding HTTP_PORTS"));
        Assert.Contains(problems, p => p.Contains("no Balancing__Pool"));
        Assert.Contains(problems, p => p.Contains("or vector(0)"));
        Assert.Contains(problems, p => p.Contains("ignoreNullValues"));
    }

    [Fact]
    public async Task Rendered_into_another_namespace_nothing_names_chat_any_more()
    {
        var result = await Rendered.KustomizeAsync(OtherNamespace);
        Assert.True(result.Succeeded, result.ToString());

        Assert.Empty(NamespaceReferences.Find(YamlJson.ParseAll(result.StandardOutput), "elsewhere", "chat"));
    }

    [Fact]
    public async Task A_namespace_written_into_a_value_is_caught()
    {
        var objects = await Rendered.KubernetesAsync();
        var env = objects.Single("Deployment", "chat-ingress-controller").PodTemplate().Containers().First()["env"]!.AsArray();
        env.First(e => e!["name"]!.ToString() == "IngressController__PublishService")!["value"] = "chat/chat-ingress-controller";
        objects.Single("RoleBinding", "chat-ws")["subjects"]![0]!["namespace"] = "chat";

        var problems = NamespaceReferences.Find(objects, "elsewhere", "chat");

        Assert.Contains(problems, p => p.Contains("IngressController__PublishService"));
        Assert.Contains(problems, p => p.Contains("subject chat-ws in namespace chat"));
    }
}
