using System.Collections.Concurrent;
using Chat.Server.Hosting;
using Chat.Contracts;
using Microsoft.Extensions.Options;

namespace Chat.Server.Backplane.Memory;

/// <summary>
/// The single-node broker: each room is a bounded list in memory. Appending and delivering happen under the room's
/// lock, and so does subscribing with its backlog, so a new listener's backlog ends exactly where its live messages begin.
/// </summary>
public sealed class InMemoryRoomBroker(IOptions<ChatOptions> options, TimeProvider time) : IRoomBroker
{
    private readonly ConcurrentDictionary<string, Room> _rooms = new(StringComparer.Ordinal);
    private readonly int _historyLength = options.Value.HistoryLength;

    public Task<ChatMessage> PublishAsync(string room, MessageType type, string sender, string? content, CancellationToken cancellationToken = default)
    {
        var state = GetRoom(room);
        lock (state)
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
    }

    public Task<RoomSubscription> SubscribeAsync(string room, RoomPosition? since, int historyLimit, IRoomListener listener, CancellationToken cancellationToken = default)
    {
        var state = GetRoom(room);
        RoomBacklog backlog;
        lock (state)
        {
            backlog = ReadSince(state, room, since, historyLimit);
            foreach (var message in backlog.Messages)
            {
                listener.OnMessage(message);
            }

            state.Listeners.Add(listener);
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
        var state = GetRoom(room);
        lock (state)
        {
            return Task.FromResult(ReadSince(state, room, since, historyLimit));
        }
    }

    private static RoomBacklog ReadSince(Room state, string room, RoomPosition? since, int historyLimit)
    {
        var position = new RoomPosition(state.Epoch, state.Offset);
        if (since is not null && since.Epoch == state.Epoch)
        {
            var missed = state.History.Where(m => m.Offset > since.Offset).ToArray();
            return new RoomBacklog(room, position, missed, EpochChanged: false);
        }

        // No position: the latest history. A position from another epoch: everything this epoch retains.
        var take = since is null ? historyLimit : state.History.Count;
        var history = state.History.Skip(Math.Max(0, state.History.Count - take)).ToArray();
        return new RoomBacklog(room, position, history, EpochChanged: since is not null);
    }

    private Room GetRoom(string room) => _rooms.GetOrAdd(room, static _ => new Room());

    private sealed class Room
    {
        public string Epoch { get; } = Guid.NewGuid().ToString("N")[..12];

        public long Offset { get; set; }

        public Queue<ChatMessage> History { get; } = new();

        public List<IRoomListener> Listeners { get; } = [];
    }
}
