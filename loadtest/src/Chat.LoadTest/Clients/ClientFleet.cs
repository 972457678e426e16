using System.Globalization;
using System.Net;
using Chat.LoadTest.Metrics;
using Chat.LoadTest.Scenarios;

namespace Chat.LoadTest.Clients;

/// <summary>
/// All clients of a run: protocols mixed by ratio (spread evenly, not in blocks), client i in room i mod rooms,
/// and the end-of-run accounting across them (loss per room, gaps and duplicates per client).
/// </summary>
public sealed class ClientFleet : IAsyncDisposable
{
    private readonly List<LoadClient> _clients = [];
    private readonly CancellationTokenSource _stop = new();

    /// <summary>
    /// The clients of the run, or of this generator's share: client numbers stay global so that names and
    /// protocols are the same whichever process opens them; source addresses go round this share's clients.
    /// </summary>
    public ClientFleet(int count, int rooms, double stompRatio, string runId, IEntryPoints entries, LoadMetrics metrics, long? injectGap = null,
        IReadOnlyList<IPAddress>? sourceAddresses = null, GeneratorShare? share = null)
    {
        share ??= GeneratorShare.Single;
        var addresses = share.AddressesOf(sourceAddresses ?? []);
        for (var i = 0; i < count; i++)
        {
            if (!share.OwnsRoom(i % rooms))
            {
                continue;
            }

            var stomp = Math.Floor((i + 1) * stompRatio) > Math.Floor(i * stompRatio);
            var identity = new ClientIdentity(i, $"u{i.ToString(CultureInfo.InvariantCulture)}-{runId}", $"load-{runId}-{i % rooms}",
                stomp ? ClientProtocol.Stomp : ClientProtocol.SignalR)
            {
                DropPushedMessage = i == 0 ? injectGap : null,
                SourceAddress = addresses.Count == 0 ? null : addresses[_clients.Count % addresses.Count],
            };
            _clients.Add(new LoadClient(identity, entries, metrics));
        }

        Rooms = [.. _clients.GroupBy(c => c.Identity.Room).Select(g => g.ToArray())];
    }

    public IReadOnlyList<LoadClient> Clients => _clients;

    /// <summary>The clients of each room; all of them publish in turn and all of them receive.</summary>
    public IReadOnlyList<LoadClient[]> Rooms { get; }

    public int Connected => _clients.Count(c => c.Replica is not null);

    public int Count(ClientProtocol protocol) => _clients.Count(c => c.Identity.Protocol == protocol);

    public void Start(LoadClient client) => client.Start(_stop.Token);

    /// <summary>Connections per replica right now.</summary>
    public Dictionary<string, int> PerReplica()
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var client in _clients)
        {
            if (client.Replica is { } replica)
            {
                counts[replica] = counts.GetValueOrDefault(replica) + 1;
            }
        }

        return counts;
    }

    /// <summary>Confirmed messages that some member of their room never received, summed over members.</summary>
    public long Lost() =>
        Rooms.Sum(members => members.Sum(receiver => members.Sum(receiver.CountMissingFrom)));

    /// <summary>Deliveries expected from confirmed messages: each goes to every member of its room.</summary>
    public long ExpectedDeliveries() => Rooms.Sum(members => members.Sum(c => c.ConfirmedCount) * members.Length);

    /// <summary>Loss, duplicates and gaps seen by the receivers of one protocol.</summary>
    public (int Clients, long Lost, long Duplicates, long Gaps) ByProtocol(ClientProtocol protocol)
    {
        var receivers = _clients.Where(c => c.Identity.Protocol == protocol).ToArray();
        var lost = Rooms.Sum(members => members.Where(r => r.Identity.Protocol == protocol).Sum(receiver => members.Sum(receiver.CountMissingFrom)));
        var sequences = receivers.SelectMany(c => c.Sequence.Report()).ToArray();
        return (receivers.Length, lost, sequences.Sum(s => s.Duplicates), sequences.Sum(s => s.Gaps));
    }

    public long Unconfirmed() => _clients.Sum(c => c.Unconfirmed);

    public IReadOnlyList<RoomSequenceReport> SequenceReports() => [.. _clients.SelectMany(c => c.Sequence.Report())];

    /// <summary>Which offsets some clients missed, and who they are: where to look when there are gaps.</summary>
    public IReadOnlyList<string> GapSamples(int limit) =>
    [
        .. _clients.SelectMany(c => c.Sequence.Report().Where(r => r.Gaps > 0).Select(r =>
            $"{c.Identity.User} ({c.Identity.Protocol}) in {r.Room} epoch {r.Epoch}: {r.Gaps} missing after {r.Baseline?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "its first message"}, first {string.Join(", ", r.FirstMissing)} (last seen {r.LastOffset})"))
            .Take(limit),
    ];

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_clients.Select(c => c.DisposeAsync().AsTask()));
        _stop.Dispose();
    }
}
