using Chat.Deploy.Tests.Checks;
using Chat.Deploy.Tests.Infrastructure;

namespace Chat.Deploy.Tests;

/// <summary>The README walkthrough: every step there, and image and cluster names that agree with the files.</summary>
public sealed class WalkthroughTests
{
    [Theory]
    [InlineData("kind create cluster --name chat --config k8s/kind-config.yaml")]
    [InlineData("kind load docker-image")]
    [InlineData("keda")]
    [InlineData("metrics-server")]
    [InlineData("cloud-provider-kind")]
    [InlineData("kubectl apply -k")]
    [InlineData("deploy/kind.sh up")]
    [InlineData("homedev")]
    [InlineData("chat-loadtest:dev")]
    [InlineData("scaledobject")]
    [InlineData("docker compose up")]
    [InlineData("--scale chat=5")]
    public void The_walkthrough_has_the_step(string command)
    {
        Assert.Contains(command, Walkthrough.FromReadme().Text);
    }

    [Fact]
    public void The_kind_config_the_walkthrough_uses_exists_and_names_its_cluster()
    {
        var create = Walkthrough.FromReadme().KindCreate();

        Assert.NotNull(create);
        Assert.True(File.Exists(Repository.Path(create.Value.Config)), create.Value.Config);
        Assert.Equal(create.Value.Cluster, Rendered.KindConfig()["name"]!.ToString());
    }

    [Fact]
    public async Task Image_names_agree_across_dockerfiles_compose_k8s_and_the_walkthrough()
    {
        var problems = ImageNames.Find(await Rendered.KubernetesAsync(), Rendered.Compose(), Walkthrough.FromReadme(), ImageNames.DockerfileHeaders());

        Assert.Empty(problems);
        Assert.All(ImageNames.DockerfileHeaders(), h => Assert.NotEqual("", h.Value));
    }

    [Fact]
    public async Task A_k8s_image_the_walkthrough_neither_builds_nor_loads_is_caught()
    {
        var objects = await Rendered.KubernetesAsync();
        objects.Single("Deployment", "chat-ws").PodTemplate().Containers().First()["image"] = "chat/chat-server:dev";

        var problems = ImageNames.Find(objects, Rendered.Compose(), Walkthrough.FromReadme(), ImageNames.DockerfileHeaders());

        Assert.Contains(problems, p => p.Contains("runs chat/chat-server:dev, which the README does not build"));
        Assert.Contains(problems, p => p.Contains("runs chat/chat-server:dev, which the README does not `kind load`"));
    }

    [Fact]
    public async Task A_latest_tag_that_kind_would_pull_is_caught()
    {
        var objects = await Rendered.KubernetesAsync();
        var container = objects.Single("Deployment", "chat-http").PodTemplate().Containers().First();
        container["image"] = "chat-server:latest";
        container.Remove("imagePullPolicy");
        var walkthrough = new Walkthrough(Walkthrough.FromReadme().Text.Replace("chat-server:dev", "chat-server:latest", StringComparison.Ordinal));

        Assert.Contains(ImageNames.Find(objects, Rendered.Compose(), walkthrough, ImageNames.DockerfileHeaders()), p => p.Contains("would pull chat-server:latest"));
    }

    [Fact]
    public async Task A_compose_image_name_that_differs_is_caught()
    {
        var compose = Rendered.Compose();
        compose["services"]!["gateway"]!["image"] = "gateway:dev";

        var problems = ImageNames.Find(await Rendered.KubernetesAsync(), compose, Walkthrough.FromReadme(), ImageNames.DockerfileHeaders());

        Assert.Contains(problems, p => p.Contains("compose service gateway builds gateway/Dockerfile as gateway:dev"));
    }

    [Fact]
    public async Task Loading_into_another_cluster_or_a_different_redis_tag_is_caught()
    {
        var objects = await Rendered.KubernetesAsync();
        objects.Single("Deployment", "redis").PodTemplate().Containers().First()["image"] = "redis:8-alpine";
        var walkthrough = new Walkthrough(Walkthrough.FromReadme().Text.Replace("--name chat\n", "\n", StringComparison.Ordinal));

        var problems = ImageNames.Find(objects, Rendered.Compose(), walkthrough, ImageNames.DockerfileHeaders());

        Assert.Contains(problems, p => p.Contains("into kind cluster kind, but creates cluster chat"));
        Assert.Contains(problems, p => p.Contains("redis is used with different tags"));
    }
}
