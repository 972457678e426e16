using System.Runtime.InteropServices;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Chat.Proxy.Drain;

/// <summary>
/// The host's lifetime for a proxy that drains: SIGTERM (or SIGINT, SIGQUIT) first runs the <see cref="ProxyDrainer"/>,
/// then stops the application; a second signal stops at once. Without it, stopping the host aborts every proxied
/// WebSocket together when Kestrel shuts down.
/// </summary>
public sealed class ProxyDrainLifetime(ProxyDrainer drainer, IHostApplicationLifetime lifetime, ILogger<ProxyDrainLifetime> logger) : IHostLifetime, IDisposable
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

        logger.LogInformation("{Signal}: draining the proxied connections before stopping", context.Signal);
        _ = Task.Run(async () =>
        {
            await drainer.DrainAsync();
            lifetime.StopApplication();
        });
    }
}
