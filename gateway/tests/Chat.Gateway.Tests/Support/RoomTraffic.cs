using Chat.Testing;

namespace Chat.Gateway.Tests.Support;

/// <summary>
/// Clients spread over rooms, with one message per room sent every interval by the room's clients in turn, until
/// stopped; then a last message per room that every client of the room must see, and the sequence check.
/// </summary>
public sealed class RoomTraffic : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _senders = [];

    private RoomTraffic(IReadOnlyList<RoomMember> clients) => Clients = clients;

    public IReadOnlyList<RoomMember> Clients { get; }

    public int Acknowledged;

    public static async Task<RoomTraffic> ConnectAsync(Uri gateway, int clients, int rooms, string prefix, int parallelism = 16)
    {
        var connected = new RoomMember[clients];
        using var gate = new SemaphoreSlim(parallelism);
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                connected[i] = await RoomMember.JoinAsync(gateway, $"{prefix}-room{i % rooms}", $"{prefix}-u{i}");
            }
            finally
            {
                gate.Release();
            }
        }));
        return new RoomTraffic(connected);
    }

    public IEnumerable<IGrouping<string, RoomMember>> Rooms => Clients.GroupBy(c => c.Room);

    /// <summary>Starts one sender per room: a message every <paramref name="interval"/>, from the room's clients in turn.</summary>
    public void StartSending(TimeSpan interval)
    {
        foreach (var room in Rooms)
        {
            var members = room.ToArray();
            _senders.Add(Task.Run(async () =>
            {
                for (var i = 0; !_stop.IsCancellationRequested && i < 100_000; i++)
                {
                    if (await members[i % members.Length].TrySendAsync($"m{i}") is not null)
                    {
                        Interlocked.Increment(ref Acknowledged);
                    }

                    try
                    {
                        await Task.Delay(interval, _stop.Token);
                    }
                    catch (OperationCanceledException)
                    {
                    }
                }
            }));
        }
    }

    /// <summary>Stops sending, sends a last message per room and returns every sequence problem of every client (empty = none).</summary>
    public async Task<IReadOnlyList<string>> FinishAsync(TimeSpan timeout)
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_senders);
        var problems = new List<string>();
        foreach (var room in Rooms)
        {
            var members = room.ToArray();
            long? last = null;
            for (var attempt = 0; last is null && attempt < 100; attempt++)
            {
                last = await members[attempt % members.Length].TrySendAsync("last");
                if (last is null)
                {
                    await Task.Delay(100);
                }
            }

            if (last is not { } upTo)
            {
                problems.Add($"{room.Key}: no client could send the last message");
                continue;
            }

            if (!await Eventually.TrueAsync(() => members.All(c => c.HasSeen(upTo)), timeout))
            {
                problems.Add($"{room.Key}: not every client got offset {upTo} within {timeout}");
            }

            problems.AddRange(members.SelectMany(c => c.SequenceProblems(upTo)));
        }

        return problems;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_senders);
        await Task.WhenAll(Clients.Select(c => c.DisposeAsync().AsTask()));
    }
}
