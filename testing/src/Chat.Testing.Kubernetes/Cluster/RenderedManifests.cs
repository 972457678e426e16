using System.Diagnostics;
using Chat.Testing.Kubernetes.Autoscaling;
using k8s;
using k8s.Models;

namespace Chat.Testing.Kubernetes.Cluster;

/// <summary>The objects `kubectl kustomize DIR` renders, read into KubernetesClient's models (ScaledObject: <see cref="KedaScaledObject"/>).</summary>
public sealed class RenderedManifests(IReadOnlyList<object> objects, string yaml)
{
    public IReadOnlyList<object> Objects { get; } = objects;

    public string Yaml { get; } = yaml;

    public IEnumerable<T> OfType<T>() => Objects.OfType<T>();

    public static async Task<RenderedManifests> RenderAsync(string kustomizeDirectory)
    {
        var info = new ProcessStartInfo("kubectl", ["kustomize", kustomizeDirectory])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"kubectl kustomize {kustomizeDirectory} failed: {await error}");
        }

        var yaml = await output;
        var objects = KubernetesYaml.LoadAllFromString(yaml, new Dictionary<string, Type> { [KedaScaledObject.TypeKey] = typeof(KedaScaledObject) });
        return new RenderedManifests(objects, yaml);
    }

    public static string Kind(object item) => item is IKubernetesObject k ? k.Kind : item.GetType().Name;

    public static V1ObjectMeta Metadata(object item) => ((IMetadata<V1ObjectMeta>)item).Metadata;
}
