using Chat.Server.Connections;
using Chat.ServiceDefaults.Drain;
using Microsoft.Extensions.Options;

namespace Chat.Server.Balancing;

/// <summary>
/// The drain itself, run once however it is triggered: turn not-ready (503 on /readyz, new connections refused,
/// every <see cref="IDrainParticipant"/> told, e.g. the load report withdrawn), wait <see cref="BalancingOptions.DrainDelay"/> for the proxies to notice, hand every
/// client over within <see cref="BalancingOptions.DrainPeriod"/>, and wait for them to leave, all bounded by
/// <see cref="BalancingOptions.DrainTimeout"/>.
/// </summary>
public sealed class Drainer(
    DrainState drain,
    ConnectionRegistry registry,
    ConnectionHandover handover,
    IEnumerable<IDrainParticipant> participants,
    IOptions<BalancingOptions> options,
    TimeProvider time,
    ILogger<Drainer> logger) : IShutdownDrain
{
    private readonly Lock _lock = new();
    private Task? _drained;

    public Task DrainAsync()
    {
        lock (_lock)
        {
            return _drained ??= Task.Run(RunAsync);
        }
    }

    private async Task RunAsync()
    {
        var settings = options.Value;
        using var timeout = new CancellationTokenSource(settings.DrainTimeout, time);
        var token = timeout.Token;

        drain.Start();
        foreach (var participant in participants)
        {
            await participant.DrainStartingAsync(token);
        }

        logger.LogInformation("Draining: not ready; handing over {Count} connections within {Period}", registry.Count, settings.DrainPeriod);
        try
        {
            if (registry.Count > 0)
            {
                await Task.Delay(settings.DrainDelay, time, token);
            }

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
}
