namespace Chat.Server.Presence;

/// <summary>Told when a room's members changed (after the JOIN or LEAVE message); a protocol adapter pushes it to its clients.</summary>
public interface IRoomPresenceObserver
{
    Task MembersChangedAsync(string room, IReadOnlyList<string> members);
}
