using Chat.Contracts;

namespace Chat.Server.Backplane;

/// <summary>
/// The one room broker of a replica. Implementations: in memory (single node) and Redis (stream per room for order
/// and history, pub/sub for fan-out, append+publish in one Lua script).
/// </summary>
public interface IRoomBroker
{
    /// <summary>
    /// Appends a message to the room and publishes it to every replica in one atomic step.
    /// Returns the stored message with its offset and epoch.
    /// Throws <see cref="BrokerUnavailableException"/> when the store cannot be reached; nothing is written then.
    /// </summary>
    Task<ChatMessage> PublishAsync(string room, MessageType type, string sender, string? content, CancellationToken cancellationToken = default);

    /// <summary>
    /// Subscribes a local listener and pushes its backlog through it first, under the room's gate: with
    /// <paramref name="since"/> what came after it (the retained history when the epoch changed), without it the
    /// latest history; at most the last <paramref name="historyLimit"/> messages either way. Then the listener gets every later message exactly once, in
    /// offset order, with no gap while subscribed (a replica that missed a fan-out fills the gap from the stream).
    /// The broker is the one place that de-duplicates: backlog and live delivery never overlap.
    /// </summary>
    Task<RoomSubscription> SubscribeAsync(string room, RoomPosition? since, int historyLimit, IRoomListener listener, CancellationToken cancellationToken = default);

    /// <summary>
    /// The latest <paramref name="historyLimit"/> messages after <paramref name="since"/> (or of the room), in order,
    /// without subscribing. Reading a room that does not exist creates nothing: its position is ("", 0).
    /// </summary>
    Task<RoomBacklog> ReadSinceAsync(string room, RoomPosition? since, int historyLimit, CancellationToken cancellationToken = default);
}

/// <summary>Messages read from a room without subscribing, and where the room stood when they were read.</summary>
public sealed record RoomBacklog(string Room, RoomPosition Position, IReadOnlyList<ChatMessage> Messages, bool EpochChanged);

/// <summary>
/// A live subscription. <see cref="Position"/>: the room's position when the backlog had been pushed (live messages
/// come after it). Disposing it stops delivery to the listener; it is idempotent.
/// </summary>
public sealed class RoomSubscription(RoomPosition position, bool epochChanged, Func<ValueTask> unsubscribe) : IAsyncDisposable
{
    private int _disposed;

    public RoomPosition Position { get; } = position;

    /// <summary>The subscriber's `since` was from another epoch (the room was lost and started again): its backlog is everything retained.</summary>
    public bool EpochChanged { get; } = epochChanged;

    public ValueTask DisposeAsync() =>
        Interlocked.Exchange(ref _disposed, 1) == 0 ? unsubscribe() : ValueTask.CompletedTask;
}
