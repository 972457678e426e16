namespace Chat.Server.Balancing;

/// <summary>
/// Drains before the server stops, whatever stopped the host (a signal goes through
/// <see cref="Chat.ServiceDefaults.Drain.DrainingHostLifetime"/> first and finds the drain done). It runs in the stopping phase, before
/// Kestrel stops accepting; <see cref="HostOptions.ShutdownTimeout"/> is raised to fit the drain.
/// </summary>
public sealed class DrainService(Drainer drainer) : IHostedLifecycleService
{
    public Task StoppingAsync(CancellationToken cancellationToken) => drainer.DrainAsync().WaitAsync(cancellationToken);

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
