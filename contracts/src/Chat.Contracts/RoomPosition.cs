namespace Chat.Contracts;

/// <summary>
/// Where a client is in a room's stream: the last offset it has seen in an epoch. As the `since` argument of
/// `Join` (or STOMP's `x-epoch` + `x-since-offset`) it asks for everything after it, then the live stream.
/// </summary>
public sealed record RoomPosition(string Epoch, long Offset);
