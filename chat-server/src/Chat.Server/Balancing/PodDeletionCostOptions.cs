using System.ComponentModel.DataAnnotations;

namespace Chat.Server.Balancing;

/// <summary>
/// Section <c>Balancing:PodDeletionCost</c>: in Kubernetes, the replica keeps its own Pod's
/// <c>controller.kubernetes.io/pod-deletion-cost</c> at its connection count, so that a scale-in removes the pod with
/// the fewest connections (the ReplicaSet controller deletes lower costs first). Off unless the pod is named.
/// </summary>
public sealed class PodDeletionCostOptions
{
    public const string SectionName = "Balancing:PodDeletionCost";

    /// <summary>This pod's name (the downward API's metadata.name); empty = off.</summary>
    public string PodName { get; set; } = "";

    /// <summary>This pod's namespace (the downward API's metadata.namespace).</summary>
    public string PodNamespace { get; set; } = "";

    /// <summary>How often the count is compared with the annotation. Default 5 s.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The annotation is rewritten only when the count moved by more than this fraction of it (at least one
    /// connection): the API server is not a metrics store, and a steady pod writes nothing. Default 0.05.
    /// </summary>
    [Range(0.0, 1.0)]
    public double Threshold { get; set; } = 0.05;

    public bool Enabled => PodName.Length > 0 && PodNamespace.Length > 0;
}
