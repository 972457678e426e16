using System.Text.Json.Nodes;
using Chat.Deploy.Tests.Infrastructure;

namespace Chat.Deploy.Tests.Checks;

/// <summary>
/// What every long-running container of the k8s folder is held to: readiness and liveness probes, CPU and memory
/// requests and a memory limit, non-root, no privilege escalation, a read-only root filesystem; and a grace period
/// that covers the preStop pause plus the process's own shutdown budget, so a draining replica is not killed halfway.
/// </summary>
public static class PodHardening
{
    /// <param name="shutdownBudget">How long a container's process may take to stop after SIGTERM.</param>
    public static IReadOnlyList<string> Find(JsonArray objects, Func<JsonObject, TimeSpan> shutdownBudget)
    {
        var problems = new List<string>();
        foreach (var workload in objects.WorkloadsOf().Where(w => w.Kind() is "Deployment" or "StatefulSet" or "DaemonSet"))
        {
            var pod = workload.PodTemplate()?["spec"];
            var grace = pod?["terminationGracePeriodSeconds"].Number() ?? 30;
            foreach (var container in workload.PodTemplate().Containers())
            {
                var at = $"{workload.Id()} container {container["name"]}";
                foreach (var probe in new[] { "readinessProbe", "livenessProbe" }.Where(p => container[p] is null))
                {
                    problems.Add($"{at}: no {probe}");
                }

                foreach (var (section, resource) in new[] { ("requests", "cpu"), ("requests", "memory"), ("limits", "memory") })
                {
                    if (container["resources"]?[section]?[resource] is null)
                    {
                        problems.Add($"{at}: no resources.{section}.{resource}");
                    }
                }

                var security = container["securityContext"];
                if ((security?["runAsNonRoot"] ?? pod?["securityContext"]?["runAsNonRoot"])?.GetValue<bool>() != true)
                {
                    problems.Add($"{at}: runAsNonRoot is not true");
                }

                if (security?["allowPrivilegeEscalation"]?.GetValue<bool>() != false)
                {
                    problems.Add($"{at}: allowPrivilegeEscalation is not false");
                }

                if (security?["readOnlyRootFilesystem"]?.GetValue<bool>() != true)
                {
                    problems.Add($"{at}: readOnlyRootFilesystem is not true");
                }

                var preStop = container["lifecycle"]?["preStop"]?["sleep"]?["seconds"].Number() ?? 0;
                var shutdown = (long)Math.Ceiling(shutdownBudget(container).TotalSeconds);
                if (preStop + shutdown >= grace)
                {
                    problems.Add($"{at}: preStop {preStop} s + shutdown {shutdown} s do not fit in terminationGracePeriodSeconds {grace}");
                }
            }
        }

        return problems;
    }
}
