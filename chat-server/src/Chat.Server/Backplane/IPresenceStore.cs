namespace Chat.Server.Backplane;

/// <summary>
/// Who is in which room, across replicas. Each replica adds and removes its own users; a user is a member while
/// any replica holds them. Entries of a replica that stops refreshing them (it crashed) expire.
/// </summary>
public interface IPresenceStore
{
    /// <summary>Marks the user present on this replica; true when the user was present nowhere before (a JOIN).</summary>
    Task<bool> AddAsync(string room, string user, CancellationToken cancellationToken = default);

    /// <summary>Removes this replica's presence of the user; true when the user is now present nowhere (a LEAVE).</summary>
    Task<bool> RemoveAsync(string room, string user, CancellationToken cancellationToken = default);

    /// <summary>The room's members, sorted by name.</summary>
    Task<IReadOnlyList<string>> GetMembersAsync(string room, CancellationToken cancellationToken = default);

    /// <summary>Extends this replica's entries (and puts back those the store lost).</summary>
    Task RefreshAsync(IReadOnlyList<(string Room, string User)> entries, CancellationToken cancellationToken = default);

    /// <summary>
    /// Removes the room's members no live replica holds any more and returns them: exactly one caller removes a
    /// user, and that caller announces the LEAVE.
    /// </summary>
    Task<IReadOnlyList<string>> PruneAsync(string room, CancellationToken cancellationToken = default);
}
