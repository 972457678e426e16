using Chat.Proxy.Drain;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Chat.Proxy.Tests;

/// <summary>The proxy's drain: not ready at once, then every proxied WebSocket closed at its own moment within the window.</summary>
public sealed class ProxyDrainerTests
{
    [Fact]
    public async Task Draining_turns_not_ready_and_closes_the_connections_spread_over_the_window()
    {
        // On a fake clock, so that a busy machine's late timers cannot bunch the closes: the moments are the drainer's.
        var time = new FakeTimeProvider();
        var connections = new ProxiedConnections();
        var aborted = new List<(int Index, TimeSpan At)>();
        var start = time.GetUtcNow();
        for (var i = 0; i < 40; i++)
        {
            var index = i;
            var context = new DefaultHttpContext();
            context.Features.Set<IHttpRequestLifetimeFeature>(new RecordingLifetime(() =>
            {
                lock (aborted)
                {
                    aborted.Add((index, time.GetUtcNow() - start));
                }
            }));
            connections.Opened(context);
        }

        var drainer = new ProxyDrainer(connections, Options.Create(new ChatProxyOptions { DrainDelay = TimeSpan.Zero, DrainWindow = TimeSpan.FromSeconds(2) }),
            time, NullLogger<ProxyDrainer>.Instance);
        var drained = drainer.DrainAsync();

        Assert.True(drainer.Draining);
        Assert.Equal(HealthStatus.Unhealthy, (await drainer.CheckHealthAsync(new HealthCheckContext())).Status);
        for (var step = 0; step < 300 && !drained.IsCompleted; step++)
        {
            time.Advance(TimeSpan.FromMilliseconds(10));
            await Task.Delay(1); // lets the drain's continuation run and arm its next timer
        }

        await drained.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(40, aborted.Select(a => a.Index).Distinct().Count());
        Assert.True(aborted.Max(a => a.At) <= TimeSpan.FromSeconds(2.1), $"the last close came at {aborted.Max(a => a.At).TotalSeconds:0.00} s of a 2 s window");
        var spread = aborted.Max(a => a.At) - aborted.Min(a => a.At);
        Assert.True(spread >= TimeSpan.FromSeconds(1), $"closed within {spread.TotalSeconds:0.00} s");
        Assert.True(aborted.Count(a => a.At < TimeSpan.FromSeconds(0.5)) < 30, "most connections were closed at once");
    }

    private sealed class RecordingLifetime(Action aborted) : IHttpRequestLifetimeFeature
    {
        public CancellationToken RequestAborted { get; set; }

        public void Abort() => aborted();
    }
}
