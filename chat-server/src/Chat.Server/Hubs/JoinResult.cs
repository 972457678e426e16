using Chat.Server.Messages;

namespace Chat.Server.Hubs;

/// <summary>What `Join(room, user)` returns: where the room is, the latest history and who is in it.</summary>
public sealed record JoinResult(
    string Room,
    string Replica,
    string Epoch,
    long Offset,
    IReadOnlyList<ChatMessage> History,
    IReadOnlyList<string> Members);

/// <summary>The `presence` event: a room's members after a JOIN or LEAVE.</summary>
public sealed record PresenceUpdate(string Room, IReadOnlyList<string> Members);

/// <summary>The `reconnect` event, sent before a server-initiated close.</summary>
public sealed record ReconnectRequest(string Reason);
