using System.Text.Json.Nodes;

namespace Chat.Deploy.Tests.Infrastructure;

/// <summary>
/// `kubectl kustomize k8s`, rendered once per test run. Every caller gets its own deep copy, so a test can mutate
/// what it gets (the broken-manifest tests) without affecting the others.
/// </summary>
public static class Rendered
{
    private static readonly Lazy<Task<JsonArray>> Kustomized = new(() => RenderAsync(Repository.KustomizeFolder));
    private static readonly Lazy<Task<JsonArray>> GatewayApiKustomized = new(() => RenderAsync(Repository.Path("k8s", "gateway-api")));

    public static async Task<JsonArray> KubernetesAsync() => (JsonArray)(await Kustomized.Value).DeepClone();

    /// <summary>`kubectl kustomize k8s/gateway-api`: the Gateway API path applied on top of k8s/.</summary>
    public static async Task<JsonArray> GatewayApiAsync() => (JsonArray)(await GatewayApiKustomized.Value).DeepClone();

    public static JsonObject Compose() => YamlJson.ParseObject(File.ReadAllText(Repository.ComposeFile));

    public static JsonObject KindConfig() => YamlJson.ParseObject(Repository.Read("k8s", "kind-config.yaml"));

    public static Task<CommandResult> KustomizeAsync(string folder) =>
        Command.RunAsync(Tools.Kubectl, ["kustomize", folder], timeout: TimeSpan.FromMinutes(1));

    private static async Task<JsonArray> RenderAsync(string folder)
    {
        var result = await KustomizeAsync(folder);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(folder + " does not render: " + result);
        }

        return YamlJson.ParseAll(result.StandardOutput);
    }
}
