using System.Runtime.InteropServices;

namespace Chat.Server.Balancing;

/// <summary>
/// The host's lifetime: SIGTERM, SIGINT or SIGQUIT first drains, then stops the application. Draining has to come
/// before <see cref="IHostApplicationLifetime.ApplicationStopping"/>: SignalR closes every connection at once
/// when that fires, and the clients would reconnect to a replica that still looks ready. A second signal stops at once.
/// </summary>
public sealed class DrainingConsoleLifetime(Drainer drainer, IHostApplicationLifetime lifetime, ILogger<DrainingConsoleLifetime> logger)
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

        logger.LogInformation("{Signal}: draining before stopping", context.Signal);
        _ = Task.Run(async () =>
        {
            await drainer.DrainAsync();
            lifetime.StopApplication();
        });
    }
}
