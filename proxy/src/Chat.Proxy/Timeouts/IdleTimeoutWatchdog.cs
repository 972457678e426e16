using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;

namespace Chat.Proxy.Timeouts;

/// <summary>
/// Enforces the idle read and send timeouts of upgraded connections (ingress-nginx proxy-read-timeout and
/// proxy-send-timeout): one timer for all of them, aborting a connection whose direction stayed silent too long.
/// </summary>
public sealed class IdleTimeoutWatchdog : IDisposable
{
    private readonly ConcurrentDictionary<IdleTrackingStream, HttpContext> _watched = new();
    private readonly TimeProvider _time;
    private readonly ITimer _timer;

    public IdleTimeoutWatchdog(TimeProvider time)
    {
        _time = time;
        _timer = time.CreateTimer(_ => Check(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }

    /// <summary>Connections being watched now.</summary>
    public int Count => _watched.Count;

    internal IdleTrackingStream Watch(HttpContext context, Stream clientStream, TimeSpan readTimeout, TimeSpan sendTimeout)
    {
        var tracked = new IdleTrackingStream(clientStream, _time, readTimeout, sendTimeout);
        _watched[tracked] = context;
        context.RequestAborted.Register(() => _watched.TryRemove(tracked, out _));
        context.Response.RegisterForDispose(new Unwatch(this, tracked));
        return tracked;
    }

    public void Dispose() => _timer.Dispose();

    private void Check()
    {
        var now = _time.GetTimestamp();
        foreach (var (stream, context) in _watched)
        {
            if (stream.IsIdle(now))
            {
                _watched.TryRemove(stream, out _);
                context.Abort();
            }
        }
    }

    private sealed class Unwatch(IdleTimeoutWatchdog watchdog, IdleTrackingStream stream) : IDisposable
    {
        public void Dispose() => watchdog._watched.TryRemove(stream, out _);
    }
}
