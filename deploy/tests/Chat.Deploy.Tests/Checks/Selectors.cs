using System.Text.Json.Nodes;
using Chat.Deploy.Tests.Infrastructure;

namespace Chat.Deploy.Tests.Checks;

/// <summary>
/// Every Service and PodDisruptionBudget selects at least one pod template of its namespace, and every Service
/// targetPort is a port those pods declare. A typo in a label or a port name otherwise gives a Service with no
/// endpoints, which no schema notices.
/// </summary>
public static class Selectors
{
    public static IReadOnlyList<string> Find(JsonArray objects)
    {
        var problems = new List<string>();
        foreach (var service in objects.OfKind("Service"))
        {
            var selector = KubeObjects.StringMap(service["spec"]?["selector"]);
            if (selector.Count == 0)
            {
                continue; // A Service without selector has hand-made endpoints.
            }

            var pods = objects.WorkloadsSelectedBy(service.Namespace(), selector).ToList();
            if (pods.Count == 0)
            {
                problems.Add($"{service.Id()}: selector {Format(selector)} matches no pod template");
                continue;
            }

            foreach (var port in (service["spec"]?["ports"]).Array())
            {
                var target = port["targetPort"] ?? port["port"];
                foreach (var pod in pods.Where(p => !DeclaresPort(p.PodTemplate(), target)))
                {
                    problems.Add($"{service.Id()}: targetPort {target} is not a container port of {pod.Id()}");
                }
            }
        }

        foreach (var budget in objects.OfKind("PodDisruptionBudget"))
        {
            var selector = KubeObjects.StringMap(budget["spec"]?["selector"]?["matchLabels"]);
            if (!objects.WorkloadsSelectedBy(budget.Namespace(), selector).Any())
            {
                problems.Add($"{budget.Id()}: selector {Format(selector)} matches no pod template");
            }
        }

        return problems;
    }

    /// <summary>A port given by name (IANA_SVC_NAME) or number exists among the pod's container ports.</summary>
    public static bool DeclaresPort(JsonNode? podTemplate, JsonNode? port)
    {
        var ports = podTemplate.Containers().SelectMany(c => c["ports"].Array()).ToList();
        return port?.GetValueKind() == System.Text.Json.JsonValueKind.Number
            ? ports.Any(p => p["containerPort"].Number() == port.Number())
            : ports.Any(p => p["name"]?.GetValue<string>() == port?.ToString());
    }

    private static string Format(IReadOnlyDictionary<string, string> selector) =>
        "{" + string.Join(", ", selector.Select(p => $"{p.Key}={p.Value}")) + "}";
}
