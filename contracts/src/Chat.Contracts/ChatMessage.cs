namespace Chat.Contracts;

/// <summary>
/// A room message as every client sees it (JSON, camelCase; DESIGN.md "Message").
/// <see cref="Offset"/> grows by one per message within the room's <see cref="Epoch"/>.
/// </summary>
public sealed record ChatMessage(
    MessageType Type,
    string Sender,
    string? Content,
    string Room,
    long Offset,
    string Epoch,
    DateTimeOffset SentAt);
