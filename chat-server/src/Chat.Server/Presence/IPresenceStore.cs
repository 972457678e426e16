namespace Chat.Server.Presence;

/// <summary>
/// Who is in which room, across replicas. Each replica adds and removes its own users; a user is a member while
/// any replica holds them.
/// </summary>
public interface IPresenceStore
{
    /// <summary>Marks the user present on this replica; true when the user was present nowhere before (a JOIN).</summary>
    Task<bool> AddAsync(string room, string user, CancellationToken cancellationToken = default);

    /// <summary>Removes this replica's presence of the user; true when the user is now present nowhere (a LEAVE).</summary>
    Task<bool> RemoveAsync(string room, string user, CancellationToken cancellationToken = default);

    /// <summary>The room's members, sorted by name.</summary>
    Task<IReadOnlyList<string>> GetMembersAsync(string room, CancellationToken cancellationToken = default);
}
