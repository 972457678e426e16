namespace Chat.Server.Backplane.Memory;

/// <summary>Name claims of a single node: held until released (nothing crashes away from under them).</summary>
public sealed class InMemoryNameRegistry : INameRegistry
{
    private readonly Dictionary<(string Room, string Key), string> _owners = [];

    public Task<bool> ClaimAsync(string room, string key, string owner, CancellationToken cancellationToken = default)
    {
        lock (_owners)
        {
            if (_owners.TryGetValue((room, key), out var current) && current != owner)
            {
                return Task.FromResult(false);
            }

            _owners[(room, key)] = owner;
            return Task.FromResult(true);
        }
    }

    public Task RefreshAsync(IReadOnlyList<(string Room, string Key, string Owner)> claims, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task ReleaseAsync(string room, string key, string owner, CancellationToken cancellationToken = default)
    {
        lock (_owners)
        {
            if (_owners.TryGetValue((room, key), out var current) && current == owner)
            {
                _owners.Remove((room, key));
            }
        }

        return Task.CompletedTask;
    }
}
