namespace Chat.ServiceDefaults.Limits;

/// <summary>
/// A token bucket: <c>ratePerSecond</c> sustained, <c>burst</c> at once. Used for one connection's frames, calls and
/// messages; thread-safe, so one bucket may also be shared (by the connections of one client address).
/// </summary>
public sealed class TokenBucket(double ratePerSecond, int burst, Func<long>? clock = null)
{
    private readonly Lock _lock = new();
    private readonly Func<long> _clock = clock ?? (() => Environment.TickCount64);
    private double _tokens = burst;
    private long _last = (clock ?? (() => Environment.TickCount64))();

    public bool TryAcquire()
    {
        lock (_lock)
        {
            var now = _clock();
            _tokens = Math.Min(burst, _tokens + ((now - _last) * ratePerSecond / 1000.0));
            _last = now;
            if (_tokens < 1)
            {
                return false;
            }

            _tokens--;
            return true;
        }
    }

    /// <summary>True while the bucket is full (nothing taken recently): an idle shared bucket may be dropped.</summary>
    public bool IsFull
    {
        get
        {
            lock (_lock)
            {
                return _tokens + ((_clock() - _last) * ratePerSecond / 1000.0) >= burst;
            }
        }
    }
}
