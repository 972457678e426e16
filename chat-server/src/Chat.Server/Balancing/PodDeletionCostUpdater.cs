using System.Globalization;
using Chat.Server.Connections;
using Chat.Server.Observability;
using Chat.Server.Rooms;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Options;

namespace Chat.Server.Balancing;

/// <summary>
/// Keeps this pod's <c>controller.kubernetes.io/pod-deletion-cost</c> at its open connections (see
/// <see cref="PodDeletionCostOptions"/>): every interval it compares the count with the last value written and
/// patches the Pod when it moved by more than the threshold. A draining pod stops (it is being deleted already).
/// The API server is found as kubectl finds it: KUBECONFIG, else the in-cluster service account, else ~/.kube/config.
/// </summary>
public sealed class PodDeletionCostUpdater(
    ConnectionRegistry registry,
    DrainState drain,
    IOptions<PodDeletionCostOptions> options,
    ChatMetrics metrics,
    TimeProvider time,
    ILogger<PodDeletionCostUpdater> logger) : BackgroundService
{
    public const string Annotation = "controller.kubernetes.io/pod-deletion-cost";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        using var client = new Kubernetes(ClientConfiguration());
        long? written = null;
        var failing = false;
        using var timer = new PeriodicTimer(settings.Interval, time);
        do
        {
            if (drain.Draining)
            {
                return;
            }

            var count = registry.Count;
            if (written is { } last && Math.Abs(count - last) <= Math.Max(0, (long)(last * settings.Threshold)) || (written is null && count == 0))
            {
                continue;
            }

            try
            {
                var patch = new { metadata = new { annotations = new Dictionary<string, string> { [Annotation] = count.ToString(CultureInfo.InvariantCulture) } } };
                await client.CoreV1.PatchNamespacedPodAsync(new V1Patch(KubernetesJson.Serialize(patch), V1Patch.PatchType.MergePatch),
                    settings.PodName, settings.PodNamespace, cancellationToken: stoppingToken);
                written = count;
                if (failing)
                {
                    logger.LogInformation("Pod deletion cost written again ({Count})", count);
                    failing = false;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                metrics.Error(ChatErrorKinds.Background);
                if (!failing)
                {
                    logger.LogWarning("Could not write the pod deletion cost of {Namespace}/{Pod}: {Error}; retrying every {Interval}",
                        settings.PodNamespace, settings.PodName, e.Message, settings.Interval);
                    failing = true;
                }
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private static KubernetesClientConfiguration ClientConfiguration() =>
        string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("KUBECONFIG")) && KubernetesClientConfiguration.IsInCluster()
            ? KubernetesClientConfiguration.InClusterConfig()
            : KubernetesClientConfiguration.BuildDefaultConfig();
}
