using Chat.Contracts;

namespace Chat.Server.Rooms;

/// <summary>
/// The one room broker of a replica. Implementations: in memory (single node) and Redis (stream per room
/// for order and history, pub/sub for fan-out, append+publish in one Lua script).
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
    /// Subscribes a local listener. With <paramref name="resumeFrom"/> the backlog holds what came after it
    /// (the whole retained history when the epoch changed); without it, the last <paramref name="historyLimit"/>
    /// messages. After the backlog, the listener gets every later message exactly once, in offset order, with no
    /// gap while subscribed (a replica that missed a fan-out fills the gap from the stream).
    /// </summary>
    Task<RoomSubscription> SubscribeAsync(string room, RoomPosition? resumeFrom, int historyLimit, IRoomListener listener, CancellationToken cancellationToken = default);

    /// <summary>Messages after <paramref name="since"/>, in order, without subscribing.</summary>
    Task<RoomBacklog> ReadSinceAsync(string room, RoomPosition? since, int historyLimit, CancellationToken cancellationToken = default);
}

/// <summary>What a subscriber has to show before live messages: history or what it missed.</summary>
public sealed record RoomBacklog(string Room, RoomPosition Position, IReadOnlyList<ChatMessage> Messages, bool EpochChanged);

/// <summary>A live subscription; disposing it stops delivery to the listener.</summary>
public sealed class RoomSubscription(RoomBacklog backlog, Func<ValueTask> unsubscribe) : IAsyncDisposable
{
    private int _disposed;

    public RoomBacklog Backlog { get; } = backlog;

    public ValueTask DisposeAsync() =>
        Interlocked.Exchange(ref _disposed, 1) == 0 ? unsubscribe() : ValueTask.CompletedTask;
}

/// <summary>The broker's store (Redis) cannot be reached; the operation did not happen.</summary>
public sealed class BrokerUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
