using System.Threading.Channels;
using Chat.IngressController.Hosting;
using Chat.IngressController.Kubernetes;
using k8s.Models;
using Microsoft.Extensions.Options;

namespace Chat.IngressController.Status;

/// <summary>
/// Writes <c>status.loadBalancer</c> of this controller's Ingresses from its own Service (PublishService):
/// the Service's load-balancer addresses, else its external IPs, else its cluster IPs. Leader only; an Ingress is
/// patched only when its status differs.
/// </summary>
public sealed class IngressStatusWriter : BackgroundService
{
    private readonly KubernetesApi _api;
    private readonly LeaderElection _leader;
    private readonly ObjectKey? _publishService;
    private readonly ILogger<IngressStatusWriter> _logger;
    private readonly Channel<bool> _signal = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private volatile Snapshot _snapshot = new([], null);

    public IngressStatusWriter(KubernetesApi api, LeaderElection leader, IOptions<IngressControllerOptions> options, ILogger<IngressStatusWriter> logger)
    {
        _api = api;
        _leader = leader;
        _publishService = ObjectKey.TryParse(options.Value.PublishService, options.Value.LeaseNamespace);
        _logger = logger;
        _leader.StartedLeading += Signal;
    }

    /// <summary>The Ingresses of this class and the controller's Service as last seen.</summary>
    public void Update(IReadOnlyList<V1Ingress> own, IReadOnlyDictionary<string, V1Service> services)
    {
        _snapshot = new Snapshot(own, _publishService is { } key ? services.GetValueOrDefault(key.ToString()) : null);
        Signal();
    }

    public static List<V1IngressLoadBalancerIngress> AddressesOf(V1Service? service)
    {
        if (service is null)
        {
            return [];
        }

        var fromBalancer = (service.Status?.LoadBalancer?.Ingress ?? [])
            .Select(i => new V1IngressLoadBalancerIngress { Ip = i.Ip, Hostname = i.Hostname }).ToList();
        if (fromBalancer.Count > 0)
        {
            return fromBalancer;
        }

        var ips = service.Spec?.ExternalIPs is { Count: > 0 } external ? external : service.Spec?.ClusterIPs ?? [];
        return ips.Where(ip => ip != "None").Select(ip => new V1IngressLoadBalancerIngress { Ip = ip }).ToList();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await _signal.Reader.WaitToReadAsync(stoppingToken))
            {
                _signal.Reader.TryRead(out _);
                if (_leader.IsLeader && _publishService is not null && !await WriteAsync(_snapshot, stoppingToken))
                {
                    await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken);
                    Signal();
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task<bool> WriteAsync(Snapshot snapshot, CancellationToken stoppingToken)
    {
        var desired = AddressesOf(snapshot.Service);
        var allWritten = true;
        foreach (var ingress in snapshot.Own)
        {
            if (Same(ingress.Status?.LoadBalancer?.Ingress, desired))
            {
                continue;
            }

            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                timeout.CancelAfter(TimeSpan.FromSeconds(15));
                await _api.PatchIngressStatusAsync(ingress.Metadata.NamespaceProperty, ingress.Metadata.Name,
                    new V1IngressLoadBalancerStatus { Ingress = desired }, timeout.Token);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                _logger.LogWarning("Status of Ingress {Namespace}/{Name} not written: {Error}", ingress.Metadata.NamespaceProperty, ingress.Metadata.Name, e.Message);
                allWritten = false;
            }
        }

        return allWritten;
    }

    private static bool Same(IList<V1IngressLoadBalancerIngress>? current, List<V1IngressLoadBalancerIngress> desired) =>
        (current ?? []).Select(i => i.Ip + "|" + i.Hostname).Order().SequenceEqual(desired.Select(i => i.Ip + "|" + i.Hostname).Order());

    private void Signal() => _signal.Writer.TryWrite(true);

    private sealed record Snapshot(IReadOnlyList<V1Ingress> Own, V1Service? Service);
}
