using Chat.IngressController.Kubernetes;
using k8s.Models;
using Yarp.ReverseProxy.Configuration;

namespace Chat.IngressController.Translation;

/// <summary>Something wrong with one Ingress, reported as a Kubernetes Event on it; the rest keeps serving.</summary>
public sealed record IngressProblem(V1Ingress Ingress, string Reason, string Message)
{
    public ObjectKey Key => new(Ingress.Metadata.NamespaceProperty, Ingress.Metadata.Name);
}

/// <summary>A TLS host (exact or "*.example.com") served with the certificate of a Secret ("namespace/name") named by an Ingress.</summary>
public sealed record TlsBinding(string Host, string SecretKey, V1Ingress Ingress);

/// <summary>The proxy configuration for a <see cref="ClusterState"/>.</summary>
public sealed record TranslationResult(
    IReadOnlyList<RouteConfig> Routes,
    IReadOnlyList<ClusterConfig> Clusters,
    IReadOnlyList<TlsBinding> Tls,
    IReadOnlyList<IngressProblem> Problems,
    IReadOnlyList<V1Ingress> OwnIngresses,
    IReadOnlyList<string> ConfigMapProblems);
