using System.Collections.Concurrent;

namespace Chat.LoadTest.Metrics;

/// <summary>The run's counters, shared by every client; read by the sampler and the final summary.</summary>
public sealed class LoadMetrics
{
    private long _connects;
    private long _connectFailures;
    private long _reconnects;
    private long _rebalanceCloses;
    private long _drops;
    private long _sent;
    private long _acked;
    private long _sendFailures;
    private long _delivered;
    private readonly Lock _deliveries = new();
    private long _duplicates;

    public LatencyRecorder Latency { get; } = new();

    public LatencyRecorder ConnectTime { get; } = new();

    public ConcurrentDictionary<string, long> Errors { get; } = new();

    public long Connects => Interlocked.Read(ref _connects);

    public long ConnectFailures => Interlocked.Read(ref _connectFailures);

    public long Reconnects => Interlocked.Read(ref _reconnects);

    /// <summary>Server-initiated closes for rebalancing or drain (close 1012 or the hub's `reconnect`).</summary>
    public long RebalanceCloses => Interlocked.Read(ref _rebalanceCloses);

    /// <summary>Connections lost any other way (replica killed, network error).</summary>
    public long Drops => Interlocked.Read(ref _drops);

    public long Sent => Interlocked.Read(ref _sent);

    public long Acked => Interlocked.Read(ref _acked);

    public long SendFailures => Interlocked.Read(ref _sendFailures);

    public long Delivered => Interlocked.Read(ref _delivered);

    public long Duplicates => Interlocked.Read(ref _duplicates);

    public long ErrorCount => Errors.Values.Sum();

    public void Connected(bool reconnect, TimeSpan took)
    {
        Interlocked.Increment(ref _connects);
        if (reconnect)
        {
            Interlocked.Increment(ref _reconnects);
        }

        ConnectTime.Record(took);
    }

    public void ConnectFailed(Exception error)
    {
        Interlocked.Increment(ref _connectFailures);
        Error("connect: " + Describe(error));
    }

    public void Lost(bool rebalance) => Interlocked.Increment(ref rebalance ? ref _rebalanceCloses : ref _drops);

    public void SendStarted() => Interlocked.Increment(ref _sent);

    public void SendAcked() => Interlocked.Increment(ref _acked);

    public void SendFailed(Exception error)
    {
        Interlocked.Increment(ref _sendFailures);
        Error("send: " + Describe(error));
    }

    /// <summary>A load-test message reached a client (first arrival only), after <paramref name="latency"/>.</summary>
    public void Received(TimeSpan latency)
    {
        // Under the lock that TotalDeliveries takes: a delivery arriving while the summary is made counts in both
        // or in neither. Latency first: whoever reads the count without the lock finds its latency recorded.
        lock (_deliveries)
        {
            Latency.Record(latency);
            Interlocked.Increment(ref _delivered);
        }
    }

    /// <summary>The deliveries so far and the latency of each of them (<see cref="LatencyRecorder.Total"/>), taken together.</summary>
    public (long Delivered, HdrHistogram.HistogramBase Latency) TotalDeliveries()
    {
        lock (_deliveries)
        {
            return (Delivered, Latency.Total());
        }
    }

    public void Duplicate() => Interlocked.Increment(ref _duplicates);

    /// <summary>Counts an error by kind; kinds are cut short so that a long server message does not make a kind per instance.</summary>
    public void Error(string kind) => Errors.AddOrUpdate(kind.Length > 80 ? kind[..79] + "…" : kind, 1, (_, n) => n + 1);

    // The type and the first line of the message ("WebSocketException: The server returned status code '502'…"),
    // cut by Error() so that the kinds stay few. A hub error shows the server's reason, not SignalR's preamble.
    private static string Describe(Exception error)
    {
        if (error is AggregateException { InnerException: { } inner })
        {
            return Describe(inner);
        }

        var message = error.Message.Split('\n', 2)[0].Trim();
        var reason = message.IndexOf("HubException: ", StringComparison.Ordinal);
        return reason >= 0 ? message[reason..] : $"{error.GetType().Name}: {message}";
    }
}
