using System.Threading.Channels;
using Chat.IngressController.Kubernetes;
using Chat.IngressController.Status;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Chat.IngressController.GatewayApi.Addresses;

/// <summary>
/// Keeps the Services of the Gateways with their own address as planned, leader only: creates the missing ones,
/// patches those whose type, selector or ports differ, deletes those of Gateways that are gone or share the
/// controller's address now. The load balancer (cloud-provider-kind on kind) gives each its address.
/// </summary>
public sealed class GatewayServiceWriter : BackgroundService
{
    private readonly KubernetesApi _api;
    private readonly LeaderElection _leader;
    private readonly ILogger<GatewayServiceWriter> _logger;
    private readonly Channel<bool> _signal = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private volatile DesiredServices _state = new([], []);

    public GatewayServiceWriter(KubernetesApi api, LeaderElection leader, ILogger<GatewayServiceWriter> logger)
    {
        _api = api;
        _leader = leader;
        _logger = logger;
        _leader.StartedLeading += Signal;
    }

    public void Update(IReadOnlyList<V1Service> desired, IReadOnlyList<V1Service> existing)
    {
        _state = new DesiredServices(desired, existing);
        Signal();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await _signal.Reader.WaitToReadAsync(stoppingToken))
            {
                _signal.Reader.TryRead(out _);
                var state = _state;
                if (_leader.IsLeader && !await WriteAsync(state.Desired, state.Existing, stoppingToken))
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

    private async Task<bool> WriteAsync(IReadOnlyList<V1Service> desired, IReadOnlyList<V1Service> existing, CancellationToken ct)
    {
        var ok = true;
        var byName = existing.ToDictionary(s => s.Metadata.Name, StringComparer.Ordinal);
        foreach (var service in desired)
        {
            var current = byName.GetValueOrDefault(service.Metadata.Name);
            if (current is not null && Same(current, service))
            {
                continue;
            }

            ok &= await CallAsync(current is null ? "create" : "patch", service, timeout => current is null
                ? _api.CreateServiceAsync(service, timeout)
                : _api.PatchServiceAsync(service, timeout), ct);
        }

        foreach (var orphan in existing.Where(s => desired.All(d => d.Metadata.Name != s.Metadata.Name)))
        {
            ok &= await CallAsync("delete", orphan, timeout => _api.DeleteServiceAsync(orphan.Metadata.NamespaceProperty, orphan.Metadata.Name, timeout), ct);
        }

        return ok;
    }

    private async Task<bool> CallAsync(string what, V1Service service, Func<CancellationToken, Task> call, CancellationToken ct)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(15));
            await call(timeout.Token);
            _logger.LogInformation("Gateway Service {Namespace}/{Name}: {What}", service.Metadata.NamespaceProperty, service.Metadata.Name, what);
            return true;
        }
        catch (HttpOperationException e) when (what == "delete" && e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return true;
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            _logger.LogWarning("Gateway Service {Namespace}/{Name} not written ({What}): {Error}", service.Metadata.NamespaceProperty, service.Metadata.Name, what, e.Message);
            return false;
        }
    }

    /// <summary>What this controller sets: the Gateway annotation, type, selector and ports (the API server fills in the rest).</summary>
    private static bool Same(V1Service current, V1Service desired) =>
        (current.Metadata.Annotations?.TryGetValue(GatewayAddressPlanner.GatewayAnnotation, out var gateway) == true ? gateway : null) == desired.Metadata.Annotations[GatewayAddressPlanner.GatewayAnnotation]
        && current.Spec?.Type == desired.Spec.Type
        && KubernetesJson.Serialize(current.Spec?.Selector?.OrderBy(kv => kv.Key)) == KubernetesJson.Serialize(desired.Spec.Selector.OrderBy(kv => kv.Key))
        && Ports(current) == Ports(desired);

    private static string Ports(V1Service service) =>
        string.Join(",", (service.Spec?.Ports ?? []).Select(p => $"{p.Name}:{p.Port}:{p.TargetPort?.Value}:{p.Protocol ?? "TCP"}").Order(StringComparer.Ordinal));

    private void Signal() => _signal.Writer.TryWrite(true);

    private sealed record DesiredServices(IReadOnlyList<V1Service> Desired, IReadOnlyList<V1Service> Existing);
}
