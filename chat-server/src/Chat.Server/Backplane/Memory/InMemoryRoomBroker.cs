using System.Collections.Concurrent;
using Chat.Server.Hosting;
using Chat.Contracts;
using Microsoft.Extensions.Options;

namespace Chat.Server.Backplane.Memory;

/// <summary>
/// The single-node broker: each room is a bounded list in memory. Appending and delivering happen under the room's
/// lock, and so does subscribing with its backlog, so a new listener's backlog ends exactly where its live messages begin.
/// A room without subscribers that nobody used for <see cref="ChatOptions.RoomRetentionSeconds"/> is dropped.
/// </summary>
public sealed class InMemoryRoomBroker(IOptions<ChatOptions> options, TimeProvider time) : IRoomBroker
{
    private const int SweepEvery = 1024;
    private readonly ConcurrentDictionary<string, Room> _rooms = new(StringComparer.Ordinal);
    private readonly int _historyLength = options.Value.HistoryLength;
    private readonly TimeSpan _retention = TimeSpan.FromSeconds(options.Value.RoomRetentionSeconds);
    private int _uses;

    /// <summary>Rooms held in memory.</summary>
    public int RoomCount => _rooms.Count;

    public Task<ChatMessage> PublishAsync(string room, MessageType type, string sender, string? content, CancellationToken cancellationToken = default)
    {
        var state = LockRoom(room);
        try
        {
            var message = new ChatMessage(type, sender, content, room, state.Offset + 1, state.Epoch, time.GetUtcNow());
            state.Offset = message.Offset;
            state.History.Enqueue(message);
            while (state.History.Count > _historyLength)
            {
                state.History.Dequeue();
            }

            foreach (var listener in state.Listeners)
            {
                // Listeners queue and return (IRoomListener's contract), so calling them under the lock is cheap.
                listener.OnMessage(message);
            }

            return Task.FromResult(message);
        }
        finally
        {
            Monitor.Exit(state);
        }
    }

    public Task<RoomSubscription> SubscribeAsync(string room, RoomPosition? since, int historyLimit, IRoomListener listener, CancellationToken cancellationToken = default)
    {
        var state = LockRoom(room);
        RoomBacklog backlog;
        try
        {
            backlog = ReadSince(state, room, since, historyLimit);
            foreach (var message in backlog.Messages)
            {
                listener.OnMessage(message);
            }

            state.Listeners.Add(listener);
        }
        finally
        {
            Monitor.Exit(state);
        }

        return Task.FromResult(new RoomSubscription(backlog.Position, backlog.EpochChanged, () =>
        {
            lock (state)
            {
                state.Listeners.Remove(listener);
            }

            return ValueTask.CompletedTask;
        }));
    }

    public Task<RoomBacklog> ReadSinceAsync(string room, RoomPosition? since, int historyLimit, CancellationToken cancellationToken = default)
    {
        var state = LockRoom(room);
        try
        {
            return Task.FromResult(ReadSince(state, room, since, historyLimit));
        }
        finally
        {
            Monitor.Exit(state);
        }
    }

    /// <summary>The latest <paramref name="historyLimit"/> messages after <paramref name="since"/> (another epoch: of all retained).</summary>
    private static RoomBacklog ReadSince(Room state, string room, RoomPosition? since, int historyLimit)
    {
        var position = new RoomPosition(state.Epoch, state.Offset);
        var sameEpoch = since is not null && since.Epoch == state.Epoch;
        var after = state.History.Where(m => !sameEpoch || m.Offset > since!.Offset).ToArray();
        var history = after[Math.Max(0, after.Length - Math.Max(1, historyLimit))..];
        return new RoomBacklog(room, position, history, EpochChanged: since is not null && !sameEpoch);
    }

    /// <summary>The room, locked (the caller exits the monitor); never one the sweep just dropped.</summary>
    private Room LockRoom(string room)
    {
        var now = time.GetUtcNow();
        if (Interlocked.Increment(ref _uses) % SweepEvery == 0)
        {
            Sweep(now);
        }

        while (true)
        {
            var state = _rooms.GetOrAdd(room, static _ => new Room());
            Monitor.Enter(state);
            if (!state.Dropped)
            {
                state.LastUsed = now;
                return state;
            }

            Monitor.Exit(state);
        }
    }

    private void Sweep(DateTimeOffset now)
    {
        foreach (var (name, state) in _rooms)
        {
            lock (state)
            {
                if (state.Listeners.Count == 0 && now - state.LastUsed > _retention)
                {
                    state.Dropped = true;
                    _rooms.TryRemove(new KeyValuePair<string, Room>(name, state));
                }
            }
        }
    }

    private sealed class Room
    {
        public string Epoch { get; } = Guid.NewGuid().ToString("N")[..12];

        public long Offset { get; set; }

        public Queue<ChatMessage> History { get; } = new();

        public List<IRoomListener> Listeners { get; } = [];

        public DateTimeOffset LastUsed { get; set; }

        public bool Dropped { get; set; }
    }
}
