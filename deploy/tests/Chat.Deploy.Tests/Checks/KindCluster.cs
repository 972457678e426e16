using System.Text.Json.Nodes;
using Chat.Deploy.Tests.Infrastructure;

namespace Chat.Deploy.Tests.Checks;

/// <summary>
/// The ingress controller highly available as deployed on kind: two replicas or more behind a Service of type
/// LoadBalancer (cloud-provider-kind gives it an address), no hostPort (which would pin a replica to a node and forbid
/// a surge), a rollout that starts the new replica before an old one drains, a PodDisruptionBudget that keeps one
/// serving, and a kind cluster with enough worker nodes to spread the replicas.
/// </summary>
public static class KindCluster
{
    public const string ControllerDeployment = "chat-ingress-controller";

    public static IReadOnlyList<string> Find(JsonObject kindConfig, JsonArray objects)
    {
        var problems = new List<string>();
        var controller = objects.OfKind("Deployment").FirstOrDefault(d => d.Name() == ControllerDeployment);
        if (controller is null)
        {
            return [$"no Deployment {ControllerDeployment}"];
        }

        var replicas = controller["spec"]?["replicas"].Number() ?? 1;
        if (replicas < 2)
        {
            problems.Add($"{controller.Id()}: {replicas} replica; a rollout or a crash would drop every WebSocket");
        }

        if (controller.PodTemplate().Containers().SelectMany(c => c["ports"].Array()).Any(p => p["hostPort"] is not null))
        {
            problems.Add($"{controller.Id()}: binds a hostPort; the LoadBalancer Service is its entry");
        }

        var rolling = controller["spec"]?["strategy"]?["rollingUpdate"];
        if (rolling?["maxUnavailable"]?.ToString() is not "0")
        {
            problems.Add($"{controller.Id()}: rolling update may take a replica away before its successor is ready (maxUnavailable must be 0)");
        }

        var labels = controller.PodTemplate().Labels();
        var service = objects.OfKind("Service").FirstOrDefault(s => KubeObjects.Selects(KubeObjects.StringMap(s["spec"]?["selector"]), labels));
        if (service?["spec"]?["type"]?.ToString() != "LoadBalancer")
        {
            problems.Add($"{controller.Id()}: no Service of type LoadBalancer selects it");
        }

        var budget = objects.OfKind("PodDisruptionBudget").FirstOrDefault(b => KubeObjects.Selects(KubeObjects.StringMap(b["spec"]?["selector"]?["matchLabels"]), labels));
        if (budget is null)
        {
            problems.Add($"{controller.Id()}: no PodDisruptionBudget covers it");
        }
        else if ((budget["spec"]?["minAvailable"].Number() ?? 0) < 1 && budget["spec"]?["maxUnavailable"] is null)
        {
            problems.Add($"{budget.Id()}: keeps no controller replica available");
        }

        var workers = kindConfig["nodes"].Array().Count(n => n["role"]?.ToString() == "worker");
        if (workers < 2)
        {
            problems.Add($"kind-config.yaml has {workers} worker node(s): the controller replicas cannot spread over nodes");
        }

        return problems;
    }
}
