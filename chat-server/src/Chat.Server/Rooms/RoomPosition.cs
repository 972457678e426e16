namespace Chat.Server.Rooms;

/// <summary>Where a client is in a room's stream: the last offset it has seen in an epoch.</summary>
public sealed record RoomPosition(string Epoch, long Offset);
