using System.Collections.Concurrent;
using System.Net;

namespace Chat.ServiceDefaults.Limits;

/// <summary>
/// One <see cref="TokenBucket"/> per client address (see <see cref="ClientAddress"/>), shared by all its
/// connections, so that reconnecting does not refill it. Full buckets (idle addresses) are dropped now and then.
/// </summary>
public sealed class AddressBuckets(double ratePerSecond, int burst, Func<long>? clock = null)
{
    private const int SweepEvery = 4096;
    private readonly ConcurrentDictionary<IPAddress, TokenBucket> _buckets = new();
    private int _calls;

    public int Count => _buckets.Count;

    public bool TryAcquire(IPAddress? address)
    {
        if (Interlocked.Increment(ref _calls) % SweepEvery == 0)
        {
            Sweep();
        }

        var key = ClientAddress.KeyOf(address);
        return _buckets.GetOrAdd(key, _ => new TokenBucket(ratePerSecond, burst, clock)).TryAcquire();
    }

    private void Sweep()
    {
        foreach (var (key, bucket) in _buckets)
        {
            if (bucket.IsFull)
            {
                _buckets.TryRemove(new KeyValuePair<IPAddress, TokenBucket>(key, bucket));
            }
        }
    }
}
