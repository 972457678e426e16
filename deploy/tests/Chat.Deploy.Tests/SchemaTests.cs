using System.Text.Json.Nodes;
using Chat.Deploy.Tests.Infrastructure;

namespace Chat.Deploy.Tests;

/// <summary>Every rendered object against its schema: built-in kinds strictly, KEDA's against its CRD schema.</summary>
public sealed class SchemaTests
{
    [Fact]
    public async Task Every_rendered_object_matches_its_json_schema()
    {
        var objects = await Rendered.KubernetesAsync();

        Assert.Empty(await JsonSchemas.ValidateAsync(objects));
    }

    [Fact]
    public async Task Every_built_in_object_reads_strictly_into_the_typed_models()
    {
        var objects = await Rendered.KubernetesAsync();

        Assert.Empty(StrictModels.Validate(objects));
    }

    [Fact]
    public async Task Only_custom_resources_are_left_to_their_crd_schema()
    {
        var objects = await Rendered.KubernetesAsync();

        var custom = objects.OfType<JsonObject>().Where(o => !StrictModels.IsBuiltIn(o)).Select(o => o.Id());
        Assert.Equal(["ScaledObject chat/chat-http", "ScaledObject chat/chat-ws"], custom);
    }

    [Fact]
    public async Task A_port_written_as_a_string_fails_the_schema()
    {
        var objects = await Rendered.KubernetesAsync();
        var container = objects.Single("Deployment", "chat-ws").PodTemplate().Containers().First();
        container["ports"]![0]!["containerPort"] = "8080";

        var problems = await JsonSchemas.ValidateAsync(objects);

        Assert.Contains(problems, p => p.Contains("chat-ws") && p.Contains("containerPort must be integer"));
    }

    [Fact]
    public async Task A_deployment_without_its_selector_fails_the_schema()
    {
        var objects = await Rendered.KubernetesAsync();
        objects.Single("Deployment", "chat-http")["spec"]!.AsObject().Remove("selector");

        var problems = await JsonSchemas.ValidateAsync(objects);

        Assert.Contains(problems, p => p.Contains("chat-http") && p.Contains("selector"));
    }

    [Fact]
    public async Task A_scaled_object_trigger_without_its_type_fails_the_keda_schema()
    {
        var objects = await Rendered.KubernetesAsync();
        objects.Single("ScaledObject", "chat-ws")["spec"]!["triggers"]![0]!.AsObject().Remove("type");

        var problems = await JsonSchemas.ValidateAsync(objects);

        Assert.Contains(problems, p => p.Contains("ScaledObject") && p.Contains("type"));
    }

    [Fact]
    public async Task A_scaled_object_with_a_wrong_min_replica_type_fails_the_keda_schema()
    {
        var objects = await Rendered.KubernetesAsync();
        objects.Single("ScaledObject", "chat-ws")["spec"]!["minReplicaCount"] = "two";

        var problems = await JsonSchemas.ValidateAsync(objects);

        Assert.Contains(problems, p => p.Contains("ScaledObject") && p.Contains("minReplicaCount"));
    }

    [Fact]
    public async Task A_misspelt_scaled_object_field_that_the_cluster_would_drop_is_caught()
    {
        var objects = await Rendered.KubernetesAsync();
        var spec = objects.Single("ScaledObject", "chat-ws")["spec"]!;
        spec["minReplicas"] = 3;
        spec["triggers"]![0]!["metricTyp"] = "Value";

        var problems = await JsonSchemas.ValidateAsync(objects);

        Assert.Contains(problems, p => p.Contains("/spec/minReplicas is not a field of the schema"));
        Assert.Contains(problems, p => p.Contains("/spec/triggers/0/metricTyp is not a field of the schema"));
    }

    [Fact]
    public async Task An_unknown_field_fails_the_strict_read()
    {
        var objects = await Rendered.KubernetesAsync();
        var container = objects.Single("Deployment", "chat-ws").PodTemplate().Containers().First();
        container["readinessProbe"]!["httpGet"]!["paht"] = "/readyz";

        var problems = StrictModels.Validate(objects);

        Assert.Contains(problems, p => p.Contains("Deployment chat/chat-ws") && p.Contains("paht"));
    }

    [Fact]
    public async Task A_kind_without_a_schema_is_reported()
    {
        var objects = await Rendered.KubernetesAsync();
        objects.Add(JsonNode.Parse("""{"apiVersion":"keda.sh/v1alpha1","kind":"ScaledThing","metadata":{"name":"x"}}"""));

        var problems = await JsonSchemas.ValidateAsync(objects);

        Assert.Contains(problems, p => p.Contains("no schema for keda.sh/v1alpha1 ScaledThing"));
    }
}
