namespace Chat.Proxy.Balancing;

/// <summary>
/// What this proxy knows about one destination's open connections: the count the destination last reported
/// (shared by every proxy in front of it), plus the connections this proxy sent it since, plus the WebSockets
/// this proxy itself tunnels to it (used while no report is available).
/// </summary>
public sealed class DestinationLoad
{
    private readonly Lock _lock = new();
    private readonly Queue<long> _assignments = new();
    private long _reported = -1;
    private long _reportedAt;
    private int _openWebSockets;

    /// <summary>The last reported count, or null when there is none.</summary>
    public long? Reported
    {
        get
        {
            lock (_lock)
            {
                return _reported < 0 ? null : _reported;
            }
        }
    }

    /// <summary>WebSockets this proxy currently tunnels to the destination.</summary>
    public int OpenWebSockets => Volatile.Read(ref _openWebSockets);

    public void Report(long connections, long nowMs)
    {
        lock (_lock)
        {
            _reported = connections;
            _reportedAt = nowMs;
        }
    }

    public void RecordAssignment(long nowMs)
    {
        lock (_lock)
        {
            _assignments.Enqueue(nowMs);
        }
    }

    public void WebSocketOpened() => Interlocked.Increment(ref _openWebSockets);

    public void WebSocketClosed() => Interlocked.Decrement(ref _openWebSockets);

    /// <summary>
    /// The destination's connections as best known now. A fresh report counts, plus this proxy's assignments made
    /// within <paramref name="assignmentWindow"/> before it (not yet in it) or after it; without a fresh report,
    /// this proxy's own open WebSockets plus its recent assignments.
    /// </summary>
    public long Estimate(long nowMs, TimeSpan assignmentWindow, TimeSpan reportMaxAge)
    {
        var window = (long)assignmentWindow.TotalMilliseconds;
        lock (_lock)
        {
            while (_assignments.Count > 0 && _assignments.Peek() < nowMs - window - (long)reportMaxAge.TotalMilliseconds)
            {
                _assignments.Dequeue();
            }

            var fresh = _reported >= 0 && nowMs - _reportedAt <= reportMaxAge.TotalMilliseconds;
            var since = fresh ? Math.Min(_reportedAt, nowMs) - window : nowMs - window;
            var pending = 0;
            foreach (var at in _assignments)
            {
                if (at >= since)
                {
                    pending++;
                }
            }

            return (fresh ? _reported : OpenWebSockets) + pending;
        }
    }
}
