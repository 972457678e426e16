using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;

namespace Chat.IngressController.GatewayApi.Proxy;

/// <summary>
/// The WebSockets open through each Gateway API route. Config changes leave them alone; when a route is gone from
/// the config its connections are closed one by one at random moments within its drain time, so their clients
/// reconnect (and land wherever the new config says) without all coming back at once.
/// </summary>
public sealed class GatewayConnections(ILogger<GatewayConnections> logger)
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<HttpContext, double>> _byRoute = new(StringComparer.Ordinal);

    public int Count => _byRoute.Values.Sum(r => r.Count);

    public IDisposable Track(string route, HttpContext context, double drainSeconds)
    {
        var open = _byRoute.GetOrAdd(route, _ => new ConcurrentDictionary<HttpContext, double>());
        open[context] = drainSeconds;
        return new Registration(open, context);
    }

    /// <summary>Drains the connections of every route that is not in the applied config.</summary>
    public void DrainRoutesNotIn(IReadOnlySet<string> routes)
    {
        foreach (var (route, open) in _byRoute)
        {
            if (routes.Contains(route))
            {
                continue;
            }

            if (open.IsEmpty)
            {
                _byRoute.TryRemove(route, out _);
                continue;
            }

            logger.LogInformation("Route {Route} was removed; draining its {Count} open WebSockets", route, open.Count);
            foreach (var (context, seconds) in open)
            {
                var delay = TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * Math.Max(0, seconds) * 1000);
                _ = Task.Delay(delay).ContinueWith(_ => context.Abort(), TaskScheduler.Default);
                open.TryRemove(context, out _);
            }
        }
    }

    private sealed class Registration(ConcurrentDictionary<HttpContext, double> open, HttpContext context) : IDisposable
    {
        public void Dispose() => open.TryRemove(context, out _);
    }
}
