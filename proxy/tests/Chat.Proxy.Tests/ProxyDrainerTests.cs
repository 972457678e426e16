using Chat.Proxy.Drain;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Chat.Proxy.Tests;

/// <summary>The proxy's drain: not ready at once, then every proxied WebSocket closed at its own moment within the window.</summary>
public sealed class ProxyDrainerTests
{
    [Fact]
    public async Task Draining_turns_not_ready_and_closes_the_connections_spread_over_the_window()
    {
        var connections = new ProxiedConnections();
        var aborted = new List<(int Index, DateTime At)>();
        for (var i = 0; i < 40; i++)
        {
            var index = i;
            var context = new DefaultHttpContext();
            context.Features.Set<IHttpRequestLifetimeFeature>(new RecordingLifetime(() =>
            {
                lock (aborted)
                {
                    aborted.Add((index, DateTime.UtcNow));
                }
            }));
            connections.Opened(context);
        }

        var drainer = new ProxyDrainer(connections, Options.Create(new ChatProxyOptions { DrainDelay = TimeSpan.Zero, DrainWindow = TimeSpan.FromSeconds(2) }),
            TimeProvider.System, NullLogger<ProxyDrainer>.Instance);
        var started = DateTime.UtcNow;
        var drained = drainer.DrainAsync();

        Assert.True(drainer.Draining);
        Assert.Equal(HealthStatus.Unhealthy, (await drainer.CheckHealthAsync(new HealthCheckContext())).Status);
        await drained.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(40, aborted.Select(a => a.Index).Distinct().Count());
        var spread = aborted.Max(a => a.At) - aborted.Min(a => a.At);
        Assert.True(spread >= TimeSpan.FromSeconds(1), $"closed within {spread.TotalSeconds:0.00} s");
        Assert.True(aborted.Count(a => a.At - started < TimeSpan.FromSeconds(0.5)) < 30, "most connections were closed at once");
    }

    private sealed class RecordingLifetime(Action aborted) : IHttpRequestLifetimeFeature
    {
        public CancellationToken RequestAborted { get; set; }

        public void Abort() => aborted();
    }
}
