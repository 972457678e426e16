using k8s.Models;

namespace Chat.Testing.Kubernetes.Cluster;

/// <summary>
/// The Deployment and ReplicaSet controllers in one loop per Deployment: pods of the current template (the new
/// ReplicaSet) are created up to replicas + maxSurge in total; old pods are removed while at least
/// replicas − maxUnavailable stay available (not-ready old pods first); without a rollout the pod count follows
/// spec.replicas, scale-down choosing pods by <see cref="PodDeletionOrder"/>. Recreate deletes every old pod and
/// waits for them to be gone. Percentages round as the controller does (surge up, unavailable down). Proportional
/// scaling of several old ReplicaSets during a rollout is not modelled (old pods are removed oldest revision first).
/// </summary>
public sealed class DeploymentController(Func<LocalDeployment, LocalPod> createPod, ClusterEvents events)
{
    private readonly Random _random = new();

    public void Reconcile(LocalDeployment deployment)
    {
        if (deployment.NotRun is not null)
        {
            return;
        }

        var now = DateTimeOffset.UtcNow;
        var desired = deployment.SpecReplicas;
        var revision = deployment.Revision;
        var active = deployment.ActivePods;
        var current = active.Where(p => p.Revision == revision).ToList();
        var old = active.Where(p => p.Revision != revision).ToList();
        var strategy = deployment.Spec.Spec.Strategy;

        if (strategy?.Type == "Recreate")
        {
            if (old.Count > 0)
            {
                foreach (var pod in old)
                {
                    Delete(pod, "Recreate: old revision");
                }

                return;
            }

            if (deployment.Pods.Any(p => p.Revision != revision))
            {
                return; // old pods still terminating
            }

            ScaleTo(deployment, current, desired, now);
            return;
        }

        if (old.Count == 0)
        {
            ScaleTo(deployment, current, desired, now);
            return;
        }

        var (maxSurge, maxUnavailable) = Limits(strategy?.RollingUpdate, desired);
        // Scale up the new ReplicaSet within the surge.
        var room = Math.Min(desired + maxSurge - active.Count, desired - current.Count);
        for (var i = 0; i < room; i++)
        {
            Create(deployment, "rolling update: new revision");
        }

        if (current.Count > desired)
        {
            ScaleTo(deployment, current, desired, now);
        }

        // Scale down old ReplicaSets while enough pods stay available.
        active = deployment.ActivePods;
        current = active.Where(p => p.Revision == revision).ToList();
        old = active.Where(p => p.Revision != revision).ToList();
        var minAvailable = desired - maxUnavailable;
        var newUnavailable = current.Count(p => !p.Ready);
        var maxScaledDown = active.Count - minAvailable - newUnavailable;
        if (maxScaledDown <= 0)
        {
            return;
        }

        foreach (var pod in old.Where(p => !p.Ready).Take(maxScaledDown).ToList())
        {
            Delete(pod, "rolling update: unhealthy old pod");
            old.Remove(pod);
        }

        var available = deployment.ActivePods.Count(p => p.Ready);
        var scaleDown = Math.Min(available - minAvailable, old.Count);
        foreach (var pod in PodDeletionOrder.Rank(old, now).Take(scaleDown))
        {
            Delete(pod, "rolling update: old revision");
        }
    }

    /// <summary>maxSurge and maxUnavailable as numbers (defaults 25 %; both 0 is read as maxUnavailable 1).</summary>
    public static (int MaxSurge, int MaxUnavailable) Limits(V1RollingUpdateDeployment? rolling, int replicas)
    {
        var surge = Resolve(rolling?.MaxSurge?.Value ?? "25%", replicas, roundUp: true);
        var unavailable = Resolve(rolling?.MaxUnavailable?.Value ?? "25%", replicas, roundUp: false);
        return surge == 0 && unavailable == 0 ? (0, 1) : (surge, unavailable);
    }

    private static int Resolve(string value, int replicas, bool roundUp)
    {
        if (!value.EndsWith('%'))
        {
            return int.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
        }

        var fraction = replicas * double.Parse(value[..^1], System.Globalization.CultureInfo.InvariantCulture) / 100;
        return (int)(roundUp ? Math.Ceiling(fraction) : Math.Floor(fraction));
    }

    private void ScaleTo(LocalDeployment deployment, List<LocalPod> pods, int desired, DateTimeOffset now)
    {
        for (var i = pods.Count; i < desired; i++)
        {
            Create(deployment, "scale up");
        }

        if (pods.Count > desired)
        {
            var ranked = PodDeletionOrder.Rank(pods, now);
            foreach (var pod in ranked.Take(pods.Count - desired))
            {
                var others = string.Join(", ", ranked.Skip(pods.Count - desired).Select(p => $"{p.Name} cost {p.DeletionCost}"));
                Delete(pod, $"scale down to {desired}: cost {pod.DeletionCost} (kept {others})");
            }
        }
    }

    private void Create(LocalDeployment deployment, string why)
    {
        var pod = createPod(deployment);
        deployment.Add(pod);
        events.Add("Scheduled", pod.Name, why);
        pod.Start();
    }

    private void Delete(LocalPod pod, string why) => _ = pod.DeleteAsync(why);

    /// <summary>A pod name as the ReplicaSet controller makes it: deployment-hash-suffix.</summary>
    public string PodName(LocalDeployment deployment)
    {
        const string alphabet = "bcdfghjklmnpqrstvwxz2456789";
        var suffix = new string(Enumerable.Range(0, 5).Select(_ => alphabet[_random.Next(alphabet.Length)]).ToArray());
        return $"{deployment.Name}-{deployment.Revision}-{suffix}";
    }
}
