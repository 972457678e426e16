using Chat.Deploy.Tests.Checks;
using Chat.Deploy.Tests.Infrastructure;

namespace Chat.Deploy.Tests;

/// <summary>The ingress controller's high availability, and k8s/kind-config.yaml for it.</summary>
public sealed class KindClusterTests
{
    [Fact]
    public async Task The_controller_has_two_replicas_behind_a_load_balancer_with_a_disruption_budget()
    {
        Assert.Empty(KindCluster.Find(Rendered.KindConfig(), await Rendered.KubernetesAsync()));
    }

    [Fact]
    public async Task One_replica_on_a_host_port_as_before_is_caught()
    {
        var objects = await Rendered.KubernetesAsync();
        var controller = objects.Single("Deployment", KindCluster.ControllerDeployment);
        controller["spec"]!["replicas"] = 1;
        controller.PodTemplate().Containers().First()["ports"]![0]!["hostPort"] = 80;
        objects.Single("Service", KindCluster.ControllerDeployment)["spec"]!["type"] = "NodePort";

        var problems = KindCluster.Find(Rendered.KindConfig(), objects);

        Assert.Contains(problems, p => p.Contains("1 replica"));
        Assert.Contains(problems, p => p.Contains("hostPort"));
        Assert.Contains(problems, p => p.Contains("LoadBalancer"));
    }

    [Fact]
    public async Task A_rollout_that_stops_a_replica_first_or_a_missing_budget_is_caught()
    {
        var objects = await Rendered.KubernetesAsync();
        objects.Single("Deployment", KindCluster.ControllerDeployment)["spec"]!["strategy"]!["rollingUpdate"]!["maxUnavailable"] = 1;
        objects.Remove(objects.Single("PodDisruptionBudget", KindCluster.ControllerDeployment));

        var problems = KindCluster.Find(Rendered.KindConfig(), objects);

        Assert.Contains(problems, p => p.Contains("maxUnavailable must be 0"));
        Assert.Contains(problems, p => p.Contains("no PodDisruptionBudget"));
    }

    [Fact]
    public async Task A_kind_cluster_of_one_node_is_caught()
    {
        var config = Rendered.KindConfig();
        config["nodes"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject { ["role"] = "control-plane" });

        Assert.Contains(KindCluster.Find(config, await Rendered.KubernetesAsync()), p => p.Contains("0 worker node"));
    }
}
