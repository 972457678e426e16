namespace Chat.LoadTest.Clients;

/// <summary>A room message as the chat server sends it (DESIGN.md "Message"); the only thing shared with the server.</summary>
public sealed record WireMessage(string Type, string Sender, string? Content, string Room, long Offset, string Epoch, DateTimeOffset SentAt);

/// <summary>The hub's answer to Join(room, user).</summary>
public sealed record JoinResult(string Room, string Replica, string Epoch, long Offset, WireMessage[]? History, string[]? Members, string? ReconnectSecret = null);

/// <summary>The hub's `reconnect` event, sent before a server-initiated close.</summary>
public sealed record ReconnectNotice(string? Reason);

/// <summary>Where a client is in a room: the highest offset it saw in the current epoch.</summary>
public sealed record RoomPosition(string Epoch, long Offset);
