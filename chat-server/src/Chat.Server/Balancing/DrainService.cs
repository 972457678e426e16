using Chat.Server.Connections;
using Microsoft.Extensions.Options;

namespace Chat.Server.Balancing;

/// <summary>
/// Drain on SIGTERM, before the server stops: turn not-ready (503 on /readyz, new connections refused, the load
/// report withdrawn), wait <see cref="BalancingOptions.DrainDelay"/> for the proxies to notice, hand every client
/// over within <see cref="BalancingOptions.DrainPeriod"/>, wait for them to leave (bounded by
/// <see cref="BalancingOptions.DrainTimeout"/>), and only then let Kestrel stop.
/// </summary>
public sealed class DrainService(
    DrainState drain,
    ConnectionRegistry registry,
    ConnectionHandover handover,
    IServiceProvider services,
    IOptions<BalancingOptions> options,
    TimeProvider time,
    ILogger<DrainService> logger) : IHostedLifecycleService
{
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.DrainTimeout);
        var token = timeout.Token;

        drain.Start();
        if (services.GetService<LoadReporter>() is { } reporter)
        {
            await reporter.WithdrawAsync();
        }

        logger.LogInformation("Draining: not ready; handing over {Count} connections", registry.Count);
        try
        {
            await Task.Delay(settings.DrainDelay, time, token);
            await handover.CloseAsync(registry.Snapshot(), settings.DrainPeriod, "drain", token);
            while (registry.Count > 0)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), time, token);
            }

            logger.LogInformation("Drained");
        }
        catch (OperationCanceledException)
        {
            logger.LogWarning("Drain time is up with {Count} connections left", registry.Count);
        }
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
