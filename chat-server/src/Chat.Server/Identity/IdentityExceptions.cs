using Chat.Server.Rooms;

namespace Chat.Server.Identity;

/// <summary>The name is held by another live connection (anonymous mode) that the caller cannot prove to be.</summary>
public sealed class ChatNameTakenException(string name, string room)
    : ChatException(ChatErrorKinds.NameTaken, $"The name '{name}' is in use in room '{room}' by another connection: choose another name, or reconnect with the reconnection secret the server gave that connection.");

/// <summary>The caller is not allowed to do this (a room its token does not grant, no or a bad token).</summary>
public sealed class ChatAccessDeniedException(string message) : ChatException(ChatErrorKinds.Forbidden, message);

/// <summary>The caller's access token expired (and was not refreshed in band).</summary>
public sealed class ChatTokenExpiredException(DateTimeOffset expiredAt)
    : ChatException(ChatErrorKinds.TokenExpired, $"The access token expired at {expiredAt:u}: refresh it in band before it expires, or reconnect with a new one.");
