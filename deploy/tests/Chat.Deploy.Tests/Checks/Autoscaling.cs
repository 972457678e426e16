using System.Text.Json.Nodes;
using Chat.Deploy.Tests.Infrastructure;

namespace Chat.Deploy.Tests.Checks;

/// <summary>
/// HPAs and KEDA ScaledObjects: each targets a workload that exists; no workload has two scalers (KEDA creates an
/// HPA of its own, and two HPAs on one target fight); a scaled workload leaves `replicas` unset (else every
/// `kubectl apply` resets it); resource-based scaling has the requests it divides by; min ≤ max; and a
/// KEDA-scaled workload has a PodDisruptionBudget, since its replicas come and go.
/// </summary>
public static class Autoscaling
{
    public sealed record Scaler(JsonObject Source, string TargetKind, string TargetName, IReadOnlyList<string> Resources, long Min, long Max);

    public static IEnumerable<Scaler> Scalers(JsonArray objects)
    {
        foreach (var hpa in objects.OfKind("HorizontalPodAutoscaler"))
        {
            var spec = hpa["spec"];
            var resources = spec?["metrics"].Array()
                .Where(m => m["type"]?.ToString() is "Resource" or "ContainerResource")
                .Select(m => (m["resource"] ?? m["containerResource"])?["name"]?.ToString() ?? "")
                .ToList() ?? [];
            yield return new Scaler(hpa, spec?["scaleTargetRef"]?["kind"]?.ToString() ?? "", spec?["scaleTargetRef"]?["name"]?.ToString() ?? "",
                resources, spec?["minReplicas"].Number() ?? 1, spec?["maxReplicas"].Number() ?? 0);
        }

        foreach (var scaledObject in objects.OfKind("ScaledObject"))
        {
            var spec = scaledObject["spec"];
            var resources = spec?["triggers"].Array()
                .Select(t => t["type"]?.ToString() ?? "")
                .Where(t => t is "cpu" or "memory")
                .ToList() ?? [];
            yield return new Scaler(scaledObject, spec?["scaleTargetRef"]?["kind"]?.ToString() ?? "Deployment", spec?["scaleTargetRef"]?["name"]?.ToString() ?? "",
                resources, spec?["minReplicaCount"].Number() ?? 0, spec?["maxReplicaCount"].Number() ?? 100);
        }
    }

    public static IReadOnlyList<string> Find(JsonArray objects)
    {
        var problems = new List<string>();
        var scalers = Scalers(objects).ToList();
        foreach (var scaler in scalers)
        {
            var source = scaler.Source;
            var target = objects.WorkloadsOf().FirstOrDefault(w =>
                w.Kind() == scaler.TargetKind && w.Name() == scaler.TargetName && w.Namespace() == source.Namespace());
            if (target is null)
            {
                problems.Add($"{source.Id()}: target {scaler.TargetKind} {scaler.TargetName} does not exist");
                continue;
            }

            if (target["spec"]?["replicas"] is not null)
            {
                problems.Add($"{target.Id()}: sets spec.replicas although {source.Id()} scales it");
            }

            if (scaler.Min > scaler.Max)
            {
                problems.Add($"{source.Id()}: minimum {scaler.Min} is above maximum {scaler.Max}");
            }

            foreach (var resource in scaler.Resources)
            {
                foreach (var container in target.PodTemplate().Containers().Where(c => c["resources"]?["requests"]?[resource] is null))
                {
                    problems.Add($"{source.Id()}: scales on {resource} but container {container["name"]} of {target.Id()} requests no {resource}");
                }
            }

            if (source.Kind() == "ScaledObject" && !objects.OfKind("PodDisruptionBudget").Any(b => b.Namespace() == target.Namespace()
                    && KubeObjects.Selects(KubeObjects.StringMap(b["spec"]?["selector"]?["matchLabels"]), target.PodTemplate().Labels())))
            {
                problems.Add($"{target.Id()}: scaled by {source.Id()} but no PodDisruptionBudget covers its pods");
            }
        }

        foreach (var shared in scalers.GroupBy(s => (s.Source.Namespace(), s.TargetKind, s.TargetName)).Where(g => g.Count() > 1))
        {
            problems.Add($"{shared.Key.TargetKind} {shared.Key.Item1}/{shared.Key.TargetName} has more than one scaler: "
                + string.Join(", ", shared.Select(s => s.Source.Id())));
        }

        return problems;
    }
}
