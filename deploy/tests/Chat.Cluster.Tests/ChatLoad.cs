using Chat.LoadTest.Clients;
using Chat.LoadTest.Metrics;

namespace Chat.Cluster.Tests;

/// <summary>
/// Chat users through the cluster's entry (the ingress controller's load balancer, with the Ingress rule's host),
/// in groups that come and go: the load-test tool's SignalR and STOMP clients (half each), which reconnect and
/// resume like the browser client; a few messages a second in every room; loss, duplicates and gaps accounted.
/// </summary>
public sealed class ChatLoad(Uri entry, string host) : IEntryPoints, IAsyncDisposable
{
    private readonly List<ClientFleet> _fleets = [];
    private readonly HashSet<ClientFleet> _joined = [];
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _stop = new();
    private volatile bool _publishing;
    private Task _publisher = Task.CompletedTask;
    private long _lost;
    private long _gaps;

    public LoadMetrics Metrics { get; } = new();

    public string Host => host;

    string? IEntryPoints.Host => host;

    public Uri Next() => entry;

    public int Count => Fleets.Sum(f => f.Clients.Count);

    public int Connected => Fleets.Sum(f => f.Connected);

    private IReadOnlyList<ClientFleet> Fleets
    {
        get
        {
            lock (_lock)
            {
                return _fleets.ToList();
            }
        }
    }

    /// <summary>Connects <paramref name="count"/> more users at <paramref name="perSecond"/>, in rooms of 10; returns when all are in.</summary>
    public async Task<ClientFleet> AddAsync(int count, double perSecond, TimeSpan timeout)
    {
        var fleet = new ClientFleet(count, Math.Max(1, count / 10), 0.5, Guid.NewGuid().ToString("N")[..6], this, Metrics);
        lock (_lock)
        {
            _fleets.Add(fleet);
        }

        var started = DateTime.UtcNow;
        for (var i = 0; i < fleet.Clients.Count; i++)
        {
            var due = started + TimeSpan.FromSeconds(i / perSecond);
            if (due > DateTime.UtcNow)
            {
                await Task.Delay(due - DateTime.UtcNow);
            }

            fleet.Start(fleet.Clients[i]);
        }

        await Task.WhenAll(fleet.Clients.Select(c => c.FirstConnection)).WaitAsync(timeout);
        // Its rooms publish once every member is in: a member that joins later starts from "now" and would miss
        // what its room said before, which is not a loss.
        lock (_lock)
        {
            _joined.Add(fleet);
        }

        StartPublishing();
        return fleet;
    }

    /// <summary>Those users leave (their connections close normally); what they received is accounted first.</summary>
    public async Task RemoveAsync(ClientFleet fleet)
    {
        await PauseAsync();
        Interlocked.Add(ref _lost, fleet.Lost());
        Interlocked.Add(ref _gaps, fleet.SequenceReports().Sum(r => r.Gaps));
        lock (_lock)
        {
            _fleets.Remove(fleet);
            _joined.Remove(fleet);
        }

        await fleet.DisposeAsync();
        StartPublishing();
    }

    /// <summary>Connections per replica (pod name), as the clients see them.</summary>
    public Dictionary<string, int> PerReplica()
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var fleet in Fleets)
        {
            foreach (var (replica, n) in fleet.PerReplica())
            {
                counts[replica] = counts.GetValueOrDefault(replica) + n;
            }
        }

        return counts;
    }

    /// <summary>
    /// Stops publishing, waits until every client is connected and nobody reconnected for 3 s (bounded), and
    /// returns what was lost, duplicated and missing so far, across all groups, those that left included.
    /// </summary>
    public async Task<(long Lost, long Duplicates, long Gaps, bool Settled)> AccountAsync(TimeSpan timeout)
    {
        await PauseAsync();
        var deadline = DateTime.UtcNow + timeout;
        var settled = false;
        while (DateTime.UtcNow < deadline)
        {
            var reconnects = Metrics.Reconnects;
            await Task.Delay(TimeSpan.FromSeconds(3));
            if (Connected == Count && Metrics.Reconnects == reconnects)
            {
                settled = true;
                break;
            }
        }

        var fleets = Fleets;
        var result = (Interlocked.Read(ref _lost) + fleets.Sum(f => f.Lost()), Metrics.Duplicates,
            Interlocked.Read(ref _gaps) + fleets.Sum(f => f.SequenceReports().Sum(r => r.Gaps)), settled);
        StartPublishing();
        return result;
    }

    /// <summary>Loss and gaps by protocol of the receivers, and a few of the gaps, for a failure message.</summary>
    public string LossDetails()
    {
        var fleets = Fleets;
        var parts = new[] { ClientProtocol.SignalR, ClientProtocol.Stomp }.Select(p =>
        {
            var (clients, lost, duplicates, gaps) = fleets.Aggregate((0, 0L, 0L, 0L), (sum, f) =>
            {
                var r = f.ByProtocol(p);
                return (sum.Item1 + r.Clients, sum.Item2 + r.Lost, sum.Item3 + r.Duplicates, sum.Item4 + r.Gaps);
            });
            return $"{p}: {clients} clients, lost {lost}, duplicates {duplicates}, gaps {gaps}";
        });
        var where = fleets.SelectMany(f => f.Rooms)
            .SelectMany(members => members.Select(receiver => (receiver, missing: members.Sum(receiver.CountMissingFrom))))
            .Where(r => r.missing > 0)
            .GroupBy(r => (r.receiver.Identity.Room, r.receiver.Replica))
            .Select(g => $"{g.Key.Room} on {g.Key.Replica}: {g.Count()} receivers missing {g.Sum(r => r.missing)} ({string.Join(",", g.Select(r => r.receiver.Identity.Protocol).Distinct())})");
        return string.Join("; ", parts) + "; where: " + string.Join(" | ", where.Take(10)) + "; unconfirmed sends " + fleets.Sum(f => f.Unconfirmed())
            + "; errors " + string.Join(", ", Metrics.Errors.Select(e => $"{e.Key}={e.Value}"))
            + (fleets.SelectMany(f => f.GapSamples(3)).ToList() is { Count: > 0 } samples ? "; " + string.Join(" | ", samples) : "");
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await PauseAsync();
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // A send still in flight ends with the cancellation above: the publisher stops by it, as it should.
        }
        foreach (var fleet in Fleets)
        {
            await fleet.DisposeAsync();
        }
    }

    private void StartPublishing()
    {
        if (_publishing || _stop.IsCancellationRequested)
        {
            return;
        }

        _publishing = true;
        _publisher = Task.Run(PublishAsync);
    }

    private async Task PauseAsync()
    {
        _publishing = false;
        await _publisher;
        // Deliveries of what was confirmed last are on their way.
        await Task.Delay(TimeSpan.FromSeconds(2));
    }

    /// <summary>About one message per room every two seconds, from a random member that is connected.</summary>
    private async Task PublishAsync()
    {
        while (_publishing)
        {
            var sends = new List<Task>();
            List<ClientFleet> publishing;
            lock (_lock)
            {
                publishing = [.. _joined];
            }

            foreach (var fleet in publishing)
            {
                foreach (var room in fleet.Rooms)
                {
                    if (Random.Shared.Next(4) == 0 && room[Random.Shared.Next(room.Length)] is { Replica: not null } member)
                    {
                        sends.Add(member.PublishAsync(_stop.Token));
                    }
                }
            }

            await Task.WhenAll(sends);
            await Task.Delay(TimeSpan.FromMilliseconds(500));
        }
    }
}
