using Chat.ServiceDefaults.Drain;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Chat.Proxy.Drain;

/// <summary>
/// The proxy's own drain, run once when its host is told to stop (see <see cref="DrainingHostLifetime"/>): readiness
/// turns 503 at once (the Service or load balancer in front stops sending new connections), new long-lived
/// connections are refused with 503 (<see cref="DrainMiddleware"/>), and after <see cref="ChatProxyOptions.DrainDelay"/>
/// every proxied WebSocket is closed at its own random moment within <see cref="ChatProxyOptions.DrainWindow"/>, so
/// that the clients reconnect through another proxy replica spread out instead of all at once, and resume there.
/// </summary>
public sealed class ProxyDrainer(ProxiedConnections connections, IOptions<ChatProxyOptions> options, TimeProvider time, ILogger<ProxyDrainer> logger)
    : IHealthCheck, IShutdownDrain
{
    private readonly Lock _lock = new();
    private Task? _drained;
    private volatile bool _draining;

    public bool Draining => _draining;

    public Task DrainAsync()
    {
        lock (_lock)
        {
            _draining = true;
            return _drained ??= Task.Run(RunAsync);
        }
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(_draining ? HealthCheckResult.Unhealthy("draining") : HealthCheckResult.Healthy());

    private async Task RunAsync()
    {
        var settings = options.Value;
        logger.LogInformation("Draining: not ready; closing {Count} proxied WebSockets over {Window} after {Delay}", connections.Count, settings.DrainWindow, settings.DrainDelay);
        if (connections.Count > 0)
        {
            await Task.Delay(settings.DrainDelay, time);
        }

        var open = connections.Snapshot();
        var start = time.GetTimestamp();
        var moments = open.Select(_ => TimeSpan.FromTicks((long)(Random.Shared.NextDouble() * settings.DrainWindow.Ticks))).Order().ToList();
        for (var i = 0; i < open.Count; i++)
        {
            var wait = moments[i] - time.GetElapsedTime(start);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, time);
            }

            open[i].Abort();
        }

        // Whatever slipped in before the refusals started goes now.
        foreach (var late in connections.Snapshot())
        {
            late.Abort();
        }

        logger.LogInformation("Drained: {Count} proxied WebSockets closed", open.Count);
    }
}
