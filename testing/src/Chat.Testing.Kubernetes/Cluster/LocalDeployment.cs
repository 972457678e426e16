using System.Globalization;
using Chat.Testing.Kubernetes.Autoscaling;
using k8s;
using k8s.Models;

namespace Chat.Testing.Kubernetes.Cluster;

/// <summary>
/// A Deployment of the manifests and its pods; its scale (spec.replicas) is what the autoscalers set. Rollouts
/// and scaling are the <see cref="DeploymentController"/>'s.
/// </summary>
public sealed class LocalDeployment : IScaleTarget
{
    private readonly Lock _lock = new();
    private readonly List<LocalPod> _pods = [];
    private readonly ClusterEvents _events;
    private int _replicas;

    public LocalDeployment(V1Deployment deployment, ClusterEvents events)
    {
        Spec = deployment;
        _events = events;
        Template = deployment.Spec.Template;
        // Without spec.replicas the API server defaults it to 1; an HPA then raises it to its minReplicas.
        _replicas = deployment.Spec.Replicas ?? 1;
    }

    public V1Deployment Spec { get; }

    public string Namespace => Spec.Metadata.NamespaceProperty;

    public string Name => Spec.Metadata.Name;

    public V1PodTemplateSpec Template { get; private set; }

    /// <summary>pod-template-hash of the current template.</summary>
    public string Revision => Hash(KubernetesJson.Serialize(Template));

    /// <summary>Set when the image is not run by the harness (its pods are never created).</summary>
    public string? NotRun { get; init; }

    public int SpecReplicas
    {
        get
        {
            lock (_lock)
            {
                return _replicas;
            }
        }
    }

    public IReadOnlyList<LocalPod> Pods
    {
        get
        {
            lock (_lock)
            {
                _pods.RemoveAll(p => p.Gone);
                return _pods.ToList();
            }
        }
    }

    /// <summary>Pods that are not terminating.</summary>
    public IReadOnlyList<LocalPod> ActivePods => Pods.Where(p => !p.Terminating).ToList();

    public int StatusReplicas => ActivePods.Count;

    public int ReadyReplicas => ActivePods.Count(p => p.Ready);

    /// <summary>True when every active pod runs the current template, there are as many as wanted, and all are ready.</summary>
    public bool RolledOut
    {
        get
        {
            var active = ActivePods;
            var revision = Revision;
            return active.Count == SpecReplicas && active.All(p => p.Revision == revision && p.Ready);
        }
    }

    public void Scale(int replicas, string why)
    {
        lock (_lock)
        {
            if (_replicas == replicas)
            {
                return;
            }

            _events.Add("Scaled", Name, $"{_replicas} → {replicas}: {why}");
            _replicas = replicas;
        }
    }

    /// <summary>kubectl rollout restart: a new template annotation, so a new revision rolls out.</summary>
    public void RolloutRestart()
    {
        var template = KubernetesJson.Deserialize<V1PodTemplateSpec>(KubernetesJson.Serialize(Template));
        template.Metadata ??= new V1ObjectMeta();
        template.Metadata.Annotations ??= new Dictionary<string, string>();
        template.Metadata.Annotations["kubectl.kubernetes.io/restartedAt"] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);
        Template = template;
        _events.Add("Rollout", Name, "restart: revision " + Revision);
    }

    public void Add(LocalPod pod)
    {
        lock (_lock)
        {
            _pods.Add(pod);
        }
    }

    public IReadOnlyList<PodForMetrics> MetricPods(DateTimeOffset now) =>
        Pods.Select(p => new PodForMetrics(p.Name, Pending: !p.Running && !p.Started, Deleted: p.Terminating, Ready: p.Ready,
            StartTime: p.StartedAt ?? p.CreatedAt, ReadySince: p.ReadySince,
            RequestMillicores: (double)((p.Container.Resources?.Requests is { } requests && requests.TryGetValue("cpu", out var cpu) ? cpu.ToDecimal() : 0m) * 1000m),
            Usage: p.Cpu?.Latest)).ToList();

    private static string Hash(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 16777619u;
        }

        const string alphabet = "bcdfghjklmnpqrstvwxz2456789";
        var chars = new char[10];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = alphabet[(int)(hash % (uint)alphabet.Length)];
            hash = hash / (uint)alphabet.Length ^ (uint)(i * 2654435761u);
        }

        return new string(chars);
    }
}
