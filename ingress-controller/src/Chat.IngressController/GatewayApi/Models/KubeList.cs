using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace Chat.IngressController.GatewayApi.Models;

/// <summary>A list response of custom resources, as the API server returns it.</summary>
public sealed class KubeList<T> : IKubernetesObject<V1ListMeta>, IItems<T>
{
    public string ApiVersion { get; set; } = "";
    public string Kind { get; set; } = "";
    public V1ListMeta Metadata { get; set; } = new();
    public IList<T> Items { get; set; } = [];
}

/// <summary>What every Gateway API object shares: apiVersion, kind, metadata.</summary>
public abstract class GatewayApiObject : IKubernetesObject<V1ObjectMeta>
{
    public string ApiVersion { get; set; } = "";
    public string Kind { get; set; } = "";
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonIgnore]
    public string Namespace => Metadata.NamespaceProperty ?? "";
    [JsonIgnore]
    public string Name => Metadata.Name ?? "";
    [JsonIgnore]
    public long Generation => Metadata.Generation ?? 0;
    [JsonIgnore]
    public string Key => string.IsNullOrEmpty(Metadata.NamespaceProperty) ? Name : Namespace + "/" + Name;
}
