namespace Chat.Server.Backplane.Memory;

/// <summary>Presence of a single node: nothing expires, so refresh and prune have nothing to do.</summary>
public sealed class InMemoryPresenceStore : IPresenceStore
{
    private readonly Dictionary<string, SortedSet<string>> _rooms = new(StringComparer.Ordinal);

    public Task<bool> AddAsync(string room, string user, CancellationToken cancellationToken = default)
    {
        lock (_rooms)
        {
            if (!_rooms.TryGetValue(room, out var members))
            {
                _rooms[room] = members = new SortedSet<string>(StringComparer.Ordinal);
            }

            return Task.FromResult(members.Add(user));
        }
    }

    public Task<bool> RemoveAsync(string room, string user, CancellationToken cancellationToken = default)
    {
        lock (_rooms)
        {
            if (!_rooms.TryGetValue(room, out var members) || !members.Remove(user))
            {
                return Task.FromResult(false);
            }

            if (members.Count == 0)
            {
                _rooms.Remove(room);
            }

            return Task.FromResult(true);
        }
    }

    public Task<IReadOnlyList<string>> GetMembersAsync(string room, CancellationToken cancellationToken = default)
    {
        lock (_rooms)
        {
            IReadOnlyList<string> members = _rooms.TryGetValue(room, out var set) ? set.ToArray() : [];
            return Task.FromResult(members);
        }
    }

    public Task RefreshAsync(IReadOnlyList<(string Room, string User)> entries, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task<IReadOnlyList<string>> PruneAsync(string room, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<string>>([]);
}
