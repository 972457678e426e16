namespace Chat.Contracts;

/// <summary>The `presence` event: a room's members after a JOIN or LEAVE.</summary>
public sealed record PresenceUpdate(string Room, IReadOnlyList<string> Members);
