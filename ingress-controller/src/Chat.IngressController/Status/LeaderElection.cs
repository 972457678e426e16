using Chat.IngressController.Hosting;
using Chat.IngressController.Kubernetes;
using Chat.IngressController.Observability;
using k8s.LeaderElection;
using Microsoft.Extensions.Options;

namespace Chat.IngressController.Status;

/// <summary>
/// Leader election on a coordination.k8s.io Lease (KubernetesClient's LeaseLock and LeaderElector). Only the
/// leader writes Ingress status and Events; every replica serves traffic regardless.
/// </summary>
public sealed class LeaderElection(KubernetesApi api, IOptions<IngressControllerOptions> options, ControllerMetrics metrics,
    ILogger<LeaderElection> logger) : BackgroundService
{
    private volatile bool _isLeader;

    public bool IsLeader => _isLeader;

    /// <summary>Raised when this replica becomes leader.</summary>
    public event Action? StartedLeading;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        var config = new LeaderElectionConfig(api.LeaseLock(o.LeaseNamespace, o.LeaseName, o.Identity))
        {
            LeaseDuration = TimeSpan.FromSeconds(o.LeaseDurationSeconds),
            RenewDeadline = TimeSpan.FromSeconds(o.LeaseRenewDeadlineSeconds),
            RetryPeriod = TimeSpan.FromSeconds(o.LeaseRetryPeriodSeconds),
        };
        using var elector = new LeaderElector(config);
        elector.OnStartedLeading += () =>
        {
            logger.LogInformation("{Identity} is now the leader (Lease {Namespace}/{Name})", o.Identity, o.LeaseNamespace, o.LeaseName);
            _isLeader = true;
            metrics.SetLeader(true);
            StartedLeading?.Invoke();
        };
        elector.OnStoppedLeading += () =>
        {
            logger.LogInformation("{Identity} is no longer the leader", o.Identity);
            _isLeader = false;
            metrics.SetLeader(false);
        };
        elector.OnError += e => logger.LogWarning("Leader election: {Error}", e.Message);
        try
        {
            await elector.RunAndTryToHoldLeadershipForeverAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            _isLeader = false;
            metrics.SetLeader(false);
        }
    }
}
