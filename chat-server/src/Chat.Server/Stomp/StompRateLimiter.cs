namespace Chat.Server.Stomp;

/// <summary>A token bucket for one connection's frames: <c>ratePerSecond</c> sustained, <c>burst</c> at once. Single-threaded (the read loop).</summary>
public sealed class StompRateLimiter(int ratePerSecond, int burst, Func<long>? clock = null)
{
    private readonly Func<long> _clock = clock ?? (() => Environment.TickCount64);
    private double _tokens = burst;
    private long _last = (clock ?? (() => Environment.TickCount64))();

    public bool TryAcquire()
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
