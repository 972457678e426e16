using k8s;
using k8s.Models;

namespace Chat.IngressController.Kubernetes;

/// <summary>How an informer lists one kind of object and watches it from a resourceVersion.</summary>
public sealed record ResourceApi<T>(
    string Kind,
    string? Namespace,
    Func<CancellationToken, Task<(IList<T> Items, string ResourceVersion)>> List,
    Func<string, Action<Exception>, CancellationToken, IAsyncEnumerable<(WatchEventType Type, T Object)>> Watch)
    where T : IKubernetesObject<V1ObjectMeta>;
