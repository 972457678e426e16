using Chat.Deploy.Tests.Infrastructure;

namespace Chat.Deploy.Tests;

/// <summary>`kubectl kustomize k8s` (what `kubectl apply -k k8s` applies) renders, everything in namespace chat.</summary>
public sealed class KustomizeTests
{
    private static readonly HashSet<string> ClusterScoped = ["Namespace", "ClusterRole", "ClusterRoleBinding", "IngressClass"];

    [Fact]
    public async Task The_k8s_folder_renders_into_the_chat_namespace()
    {
        var objects = await Rendered.KubernetesAsync();

        Assert.Contains(objects.OfKind("Namespace"), n => n.Name() == "chat");
        Assert.All(objects.OfType<System.Text.Json.Nodes.JsonObject>().Where(o => !ClusterScoped.Contains(o.Kind())),
            o => Assert.Equal("chat", o.Namespace()));
        Assert.Contains(objects.OfKind("Service"), s => s.Name() == "chat" && s["spec"]!["ports"]!.AsArray().Any(p => p!["port"].Number() == 8000));
    }

    [Fact]
    public async Task A_kustomization_listing_a_missing_file_fails_to_render()
    {
        using var copy = TempFolder.CopyOf(Repository.KustomizeFolder);
        var kustomization = Path.Combine(copy.Path, "kustomization.yaml");
        File.WriteAllText(kustomization, File.ReadAllText(kustomization).Replace("  - ingress.yaml", "  - ingresses.yaml", StringComparison.Ordinal));

        var result = await Rendered.KustomizeAsync(copy.Path);

        Assert.False(result.Succeeded, result.ToString());
        Assert.Contains("ingresses.yaml", result.StandardError);
    }

    [Fact]
    public async Task A_manifest_that_is_not_yaml_fails_to_render()
    {
        using var copy = TempFolder.CopyOf(Repository.KustomizeFolder);
        var ingress = Path.Combine(copy.Path, "ingress.yaml");
        File.WriteAllText(ingress, File.ReadAllText(ingress).Replace("  rules:", "  rules:\n\t- host: tab", StringComparison.Ordinal));

        var result = await Rendered.KustomizeAsync(copy.Path);

        Assert.False(result.Succeeded, result.ToString());
    }
}
