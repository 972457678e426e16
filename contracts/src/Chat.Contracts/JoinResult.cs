namespace Chat.Contracts;

/// <summary>
/// What `Join(room, user[, since])` returns: where the room is (<see cref="Epoch"/>, <see cref="Offset"/>: the
/// last offset the history or the recovery covers), the messages to show before the live stream and who is in it.
/// Without `since`: the latest history. With `since`: every message after it (a new epoch: everything retained),
/// and live messages start right after <see cref="Offset"/> with no overlap.
/// </summary>
public sealed record JoinResult(
    string Room,
    string Replica,
    string Epoch,
    long Offset,
    IReadOnlyList<ChatMessage> History,
    IReadOnlyList<string> Members);
