using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Chat.Server.Balancing;

/// <summary>Whether this replica is draining; a readiness check that turns /readyz to 503 once it is.</summary>
public sealed class DrainState : IHealthCheck
{
    private volatile bool _draining;

    public bool Draining => _draining;

    public void Start() => _draining = true;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(_draining ? HealthCheckResult.Unhealthy("draining") : HealthCheckResult.Healthy());
}
