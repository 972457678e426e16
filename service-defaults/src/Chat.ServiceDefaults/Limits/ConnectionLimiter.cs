using System.Collections.Concurrent;
using System.Net;

namespace Chat.ServiceDefaults.Limits;

/// <summary>
/// Counts open long-lived connections per client address and in total, and the rate of new ones per address:
/// <see cref="TryConnect"/> before a connection is made, <see cref="TryHold"/> while it is open; each says why not.
/// </summary>
public sealed class ConnectionLimiter(int perAddress, int total, double connectsPerSecond, int connectBurst, Func<long>? clock = null)
{
    private readonly ConcurrentDictionary<IPAddress, int> _open = new();
    private readonly AddressBuckets _connects = new(connectsPerSecond, connectBurst, clock);
    private int _total;

    public int Total => Volatile.Read(ref _total);

    public int OpenFrom(IPAddress? address) => _open.TryGetValue(ClientAddress.KeyOf(address), out var count) ? count : 0;

    /// <summary>
    /// A new connection from <paramref name="address"/> is about to be made (SignalR negotiate, a WebSocket upgrade):
    /// takes a token of the address's connect rate and checks the open limits, without holding anything yet.
    /// </summary>
    public ConnectionAdmission TryConnect(IPAddress? address)
    {
        var check = Check(address);
        if (!check.IsAdmitted)
        {
            return check;
        }

        return _connects.TryAcquire(address)
            ? check
            : ConnectionAdmission.Refused(ConnectionRefusal.Rate, $"Too many new connections from your address: at most {connectsPerSecond:0.##} per second (burst {connectBurst}); retry shortly.");
    }

    /// <summary>Holds an open connection (its lease is disposed when it closes), within the per-address and total limits.</summary>
    public ConnectionAdmission TryHold(IPAddress? address)
    {
        if (Interlocked.Increment(ref _total) > total)
        {
            Interlocked.Decrement(ref _total);
            return Full();
        }

        var key = ClientAddress.KeyOf(address);
        var admitted = false;
        _open.AddOrUpdate(key, _ => { admitted = true; return 1; }, (_, count) =>
        {
            admitted = count < perAddress;
            return admitted ? count + 1 : count;
        });
        if (!admitted)
        {
            Interlocked.Decrement(ref _total);
            return TooMany();
        }

        return ConnectionAdmission.Admitted(new Lease(this, key));
    }

    private ConnectionAdmission Check(IPAddress? address) =>
        Total >= total ? Full()
        : OpenFrom(address) >= perAddress ? TooMany()
        : ConnectionAdmission.Admitted(null);

    private ConnectionAdmission Full() => ConnectionAdmission.Refused(ConnectionRefusal.Total, $"The server is full: at most {total} connections; retry later or elsewhere.");

    private ConnectionAdmission TooMany() => ConnectionAdmission.Refused(ConnectionRefusal.PerAddress, $"Too many open connections from your address: at most {perAddress}.");

    private void Release(IPAddress key)
    {
        Interlocked.Decrement(ref _total);
        while (_open.TryGetValue(key, out var count))
        {
            if (count <= 1 ? _open.TryRemove(new KeyValuePair<IPAddress, int>(key, count)) : _open.TryUpdate(key, count - 1, count))
            {
                return;
            }
        }
    }

    private sealed class Lease(ConnectionLimiter limiter, IPAddress key) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                limiter.Release(key);
            }
        }
    }
}

public enum ConnectionRefusal
{
    None,
    Rate,
    PerAddress,
    Total,
}

/// <summary>The answer of <see cref="ConnectionLimiter"/>: a lease to dispose when the connection closes, or the refusal in words.</summary>
public readonly record struct ConnectionAdmission(IDisposable? Lease, ConnectionRefusal Refusal, string? Reason)
{
    public bool IsAdmitted => Refusal == ConnectionRefusal.None;

    public static ConnectionAdmission Admitted(IDisposable? lease) => new(lease, ConnectionRefusal.None, null);

    public static ConnectionAdmission Refused(ConnectionRefusal refusal, string reason) => new(null, refusal, reason);
}
