using System.Text.Json.Nodes;
using System.Threading.Channels;
using Chat.IngressController.GatewayApi.Models;
using Chat.IngressController.GatewayApi.Translation;
using Chat.IngressController.Hosting;
using Chat.IngressController.Kubernetes;
using Chat.IngressController.Status;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Options;

namespace Chat.IngressController.GatewayApi.Status;

/// <summary>
/// Writes the status of this controller's GatewayClasses, Gateways, HTTPRoutes (its own entries of status.parents,
/// other controllers' kept) and ConnectionPolicies, leader only, and only where it differs from what is there
/// (lastTransitionTime kept while a condition's status does not change).
/// </summary>
public sealed class GatewayStatusWriter : BackgroundService
{
    private readonly KubernetesApi _api;
    private readonly LeaderElection _leader;
    private readonly string _controllerName;
    private readonly ILogger<GatewayStatusWriter> _logger;
    private readonly Channel<bool> _signal = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private volatile GatewayTranslation _desired = GatewayTranslation.Empty;

    public GatewayStatusWriter(KubernetesApi api, LeaderElection leader, IOptions<IngressControllerOptions> options, ILogger<GatewayStatusWriter> logger)
    {
        _api = api;
        _leader = leader;
        _controllerName = options.Value.GatewayControllerName;
        _logger = logger;
        _leader.StartedLeading += Signal;
    }

    public void Update(GatewayTranslation desired)
    {
        _desired = desired;
        Signal();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await _signal.Reader.WaitToReadAsync(stoppingToken))
            {
                _signal.Reader.TryRead(out _);
                if (_leader.IsLeader && !await WriteAsync(_desired, stoppingToken))
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
                    Signal();
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task<bool> WriteAsync(GatewayTranslation desired, CancellationToken ct)
    {
        var ok = true;
        foreach (var (gatewayClass, status) in desired.ClassStatuses)
        {
            status.Conditions = Keep(gatewayClass.Status?.Conditions, status.Conditions);
            ok &= await PatchAsync(GatewayApiNames.Group, GatewayApiNames.Version, GatewayApiNames.GatewayClasses, null, gatewayClass.Name, gatewayClass.Status, status, ct);
        }

        foreach (var (gateway, status) in desired.GatewayStatuses)
        {
            status.Conditions = Keep(gateway.Status?.Conditions, status.Conditions);
            foreach (var listener in status.Listeners ?? [])
            {
                listener.Conditions = Keep(gateway.Status?.Listeners?.FirstOrDefault(l => l.Name == listener.Name)?.Conditions, listener.Conditions)!;
            }

            ok &= await PatchAsync(GatewayApiNames.Group, GatewayApiNames.Version, GatewayApiNames.Gateways, gateway.Namespace, gateway.Name, gateway.Status, status, ct);
        }

        foreach (var (route, parents) in desired.RouteStatuses)
        {
            var current = route.Status?.Parents ?? [];
            var ours = parents.Select(p =>
            {
                p.Conditions = Keep(current.FirstOrDefault(c => c.ControllerName == _controllerName && SameParent(c.ParentRef, p.ParentRef))?.Conditions, p.Conditions)!;
                return p;
            });
            var status = new RouteStatus { Parents = current.Where(c => c.ControllerName != _controllerName).Concat(ours).ToList() };
            ok &= await PatchAsync(GatewayApiNames.Group, GatewayApiNames.Version, GatewayApiNames.HttpRoutes, route.Namespace, route.Name, route.Status, status, ct);
        }

        foreach (var (policy, status) in desired.PolicyStatuses)
        {
            ok &= await PatchAsync(GatewayApiNames.PolicyGroup, GatewayApiNames.PolicyVersion, GatewayApiNames.Policies, policy.Namespace, policy.Name, policy.Status, status, ct);
        }

        return ok;
    }

    private async Task<bool> PatchAsync(string group, string version, string plural, string? ns, string name, object? current, object desired, CancellationToken ct)
    {
        if (Normalized(current) == Normalized(desired))
        {
            return true;
        }

        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(15));
            await _api.PatchStatusAsync(group, version, plural, ns, name, desired, timeout.Token);
            return true;
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            _logger.LogWarning("Status of {Plural} {Namespace}/{Name} not written: {Error}", plural, ns, name, e.Message);
            return false;
        }
    }

    /// <summary>Desired conditions with the current lastTransitionTime where type, status and reason are unchanged.</summary>
    private static IList<V1Condition>? Keep(IList<V1Condition>? current, IList<V1Condition>? desired)
    {
        foreach (var condition in desired ?? [])
        {
            if (current?.FirstOrDefault(c => c.Type == condition.Type) is { } before && before.Status == condition.Status && before.Reason == condition.Reason)
            {
                condition.LastTransitionTime = before.LastTransitionTime;
            }
        }

        return desired;
    }

    private static bool SameParent(ParentReference a, ParentReference b) =>
        a.Name == b.Name && a.Namespace == b.Namespace && a.SectionName == b.SectionName && a.Port == b.Port;

    /// <summary>The status as JSON without lastTransitionTime, for comparison.</summary>
    private static string Normalized(object? status)
    {
        var node = status is null ? null : JsonNode.Parse(KubernetesJson.Serialize(status));
        Strip(node);
        return node?.ToJsonString() ?? "";
    }

    private static void Strip(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                o.Remove("lastTransitionTime");
                foreach (var (_, child) in o.ToList())
                {
                    Strip(child);
                }

                break;
            case JsonArray a:
                foreach (var child in a)
                {
                    Strip(child);
                }

                break;
        }
    }

    private void Signal() => _signal.Writer.TryWrite(true);
}
