using Chat.IngressController.Proxy;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Chat.IngressController.Hosting;

/// <summary>Ready once a config from the first full sync of every watched kind is serving.</summary>
public sealed class ReadinessHealthCheck(ProxyConfigApplier applier) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(applier.Ready
            ? HealthCheckResult.Healthy($"config generation {applier.Generation}")
            : HealthCheckResult.Unhealthy("waiting for the first full sync"));
}
