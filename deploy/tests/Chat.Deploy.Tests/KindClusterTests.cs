using Chat.Deploy.Tests.Checks;
using Chat.Deploy.Tests.Infrastructure;

namespace Chat.Deploy.Tests;

/// <summary>k8s/kind-config.yaml against the ingress controller it hosts.</summary>
public sealed class KindClusterTests
{
    [Fact]
    public async Task The_ingress_ready_node_maps_the_controller_host_ports()
    {
        Assert.Empty(KindCluster.Find(Rendered.KindConfig(), await Rendered.KubernetesAsync()));
    }

    [Fact]
    public async Task A_node_without_the_ingress_ready_label_is_caught()
    {
        var config = Rendered.KindConfig();
        config["nodes"]![0]!.AsObject().Remove("labels");

        Assert.Contains(KindCluster.Find(config, await Rendered.KubernetesAsync()), p => p.Contains("nodeSelector"));
    }

    [Fact]
    public async Task A_host_port_the_node_does_not_map_is_caught()
    {
        var objects = await Rendered.KubernetesAsync();
        objects.Single("Deployment", KindCluster.ControllerDeployment).PodTemplate().Containers().First()["ports"]![0]!["hostPort"] = 8080;

        Assert.Contains(KindCluster.Find(Rendered.KindConfig(), objects), p => p.Contains("does not map port 8080"));
    }
}
