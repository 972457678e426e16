namespace Chat.Contracts;

/// <summary>
/// What `Join(room, user[, since])` returns: where the room is (<see cref="Epoch"/>, <see cref="Offset"/>: the
/// last offset the history or the recovery covers), the messages to show before the live stream and who is in it.
/// Without `since`: the latest history. With `since`: every message after it (a new epoch: everything retained),
/// and live messages start right after <see cref="Offset"/> with no overlap. <see cref="History"/> holds at most the
/// server's history limit (the latest messages). <see cref="Epoch"/> is empty while the room has no message yet.
/// Anonymous mode: <see cref="ReconnectSecret"/> is the secret of the connection's name; pass it as Join's `secret`
/// on the next connection to keep the name (null in Jwt mode).
/// </summary>
public sealed record JoinResult(
    string Room,
    string Replica,
    string Epoch,
    long Offset,
    IReadOnlyList<ChatMessage> History,
    IReadOnlyList<string> Members,
    string? ReconnectSecret = null);
