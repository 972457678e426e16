using System.Text.Json.Nodes;
using Chat.Deploy.Tests.Infrastructure;

namespace Chat.Deploy.Tests.Checks;

/// <summary>
/// kind-config.yaml fits the ingress controller: a node carries the labels of its nodeSelector and maps the host
/// ports the controller binds with hostPort (so http://homedev/ on the host reaches it).
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

        var selector = KubeObjects.StringMap(controller.PodTemplate()?["spec"]?["nodeSelector"])
            .Where(p => !p.Key.StartsWith("kubernetes.io/", StringComparison.Ordinal))
            .ToDictionary();
        var hostPorts = controller.PodTemplate().Containers().SelectMany(c => c["ports"].Array())
            .Select(p => p["hostPort"].Number()).OfType<long>().ToList();
        if (hostPorts.Count == 0)
        {
            problems.Add($"{controller.Id()}: binds no hostPort, so the kind node's mapped ports reach nothing");
        }

        var nodes = kindConfig["nodes"].Array().ToList();
        var ingressNode = nodes.FirstOrDefault(n => selector.Count == 0
            || selector.All(p => KubeObjects.StringMap(n["labels"]).GetValueOrDefault(p.Key) == p.Value));
        if (ingressNode is null)
        {
            problems.Add($"no node of kind-config.yaml has the labels of {controller.Id()}'s nodeSelector {string.Join(", ", selector)}");
            return problems;
        }

        var mapped = ingressNode["extraPortMappings"].Array().Select(m => m["containerPort"].Number()).OfType<long>().ToHashSet();
        foreach (var port in hostPorts.Where(p => !mapped.Contains(p)))
        {
            problems.Add($"the ingress-ready node of kind-config.yaml does not map port {port} that {controller.Id()} binds");
        }

        return problems;
    }
}
