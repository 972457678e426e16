namespace Chat.Contracts;

/// <summary>
/// The body of a STOMP SEND to <c>chat.addUser</c> or <c>chat.sendMessage</c>: the Spring demo's ChatMessage as a
/// client sends it (JSON, camelCase). The destination decides what it means; <see cref="Type"/> is informative.
/// </summary>
public sealed record StompChatBody(string? Sender, string? Content, string? Type);
