using System.Runtime.InteropServices;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Chat.ServiceDefaults.Drain;

/// <summary>
/// The host's lifetime for a service that drains: SIGTERM, SIGINT or SIGQUIT first runs the <see cref="IShutdownDrain"/>,
/// then stops the application; a second signal stops at once. Draining has to come before
/// <see cref="IHostApplicationLifetime.ApplicationStopping"/>: SignalR closes every connection at once when that fires,
/// and Kestrel aborts every proxied WebSocket together when it shuts down.
/// </summary>
/// <param name="logText">Logged after the signal's name when the drain starts, e.g. "draining before stopping".</param>
public sealed class DrainingHostLifetime(IShutdownDrain drain, string logText, IHostApplicationLifetime lifetime, ILogger<DrainingHostLifetime> logger)
    : IHostLifetime, IDisposable
{
    private readonly List<PosixSignalRegistration> _registrations = [];
    private int _signals;

    public Task WaitForStartAsync(CancellationToken cancellationToken)
    {
        foreach (var signal in new[] { PosixSignal.SIGTERM, PosixSignal.SIGINT, PosixSignal.SIGQUIT })
        {
            _registrations.Add(PosixSignalRegistration.Create(signal, OnSignal));
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }
    }

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true;
        if (Interlocked.Increment(ref _signals) > 1)
        {
            lifetime.StopApplication();
            return;
        }

        logger.LogInformation("{Signal}: {Drain}", context.Signal, logText);
        _ = Task.Run(async () =>
        {
            await drain.DrainAsync();
            lifetime.StopApplication();
        });
    }
}
