namespace Chat.Server.Backplane;

/// <summary>
/// Anonymous mode: who holds a name in a room, across replicas. A claim is the name's look-alike key and its owner
/// (the hash of the reconnection secret and the name as shown); it lives while a replica holds the user there
/// (refreshed like presence), so the users of a crashed replica free their names after the presence TTL.
/// </summary>
public interface INameRegistry
{
    /// <summary>Takes the name for <paramref name="owner"/>, or confirms it; false when another owner holds it.</summary>
    Task<bool> ClaimAsync(string room, string key, string owner, CancellationToken cancellationToken = default);

    /// <summary>Keeps this replica's claims alive.</summary>
    Task RefreshAsync(IReadOnlyList<(string Room, string Key, string Owner)> claims, CancellationToken cancellationToken = default);

    /// <summary>Frees the name if <paramref name="owner"/> holds it (the user left the room everywhere).</summary>
    Task ReleaseAsync(string room, string key, string owner, CancellationToken cancellationToken = default);
}
