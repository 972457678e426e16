using Chat.Testing.Kubernetes.FakeApi;
using k8s.Models;

namespace Chat.Testing.Kubernetes.Cluster;

/// <summary>What a pod needs from the cluster: the API server, the network, DNS, ConfigMaps, Secrets, credentials.</summary>
public sealed class PodRuntime(FakeKubeApiServer api, PodNetwork network, ServiceDns dns, ClusterEvents events, string workDirectory,
    Func<string, string, V1ConfigMap?> configMaps, Func<string, string, V1Secret?> secrets, Func<string, string, string> kubeconfig)
{
    public FakeKubeApiServer Api => api;

    public PodNetwork Network => network;

    public ServiceDns Dns => dns;

    public ClusterEvents Events => events;

    /// <summary>Folder under which every pod gets its volumes and logs.</summary>
    public string WorkDirectory => workDirectory;

    public V1ConfigMap? ConfigMap(string ns, string name) => configMaps(ns, name);

    public V1Secret? Secret(string ns, string name) => secrets(ns, name);

    /// <summary>The kubeconfig file of a service account (what its mounted token would give the pod).</summary>
    public string Kubeconfig(string ns, string serviceAccount) => kubeconfig(ns, serviceAccount);
}
