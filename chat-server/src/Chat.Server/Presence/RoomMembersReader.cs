using System.Collections.Concurrent;
using Chat.Contracts;
using Chat.Server.Backplane;

namespace Chat.Server.Presence;

/// <summary>
/// A room's members after a JOIN or LEAVE, read once per replica however many of its connections are in the room:
/// every listener that sees the same JOIN/LEAVE message shares one read of the presence store.
/// </summary>
public sealed class RoomMembersReader(IPresenceStore store)
{
    private readonly ConcurrentDictionary<(string Room, string Epoch, long Offset), Lazy<Task<IReadOnlyList<string>>>> _reads = new();

    public Task<IReadOnlyList<string>> AfterAsync(ChatMessage change)
    {
        var key = (change.Room, change.Epoch, change.Offset);
        var read = _reads.GetOrAdd(key, k => new Lazy<Task<IReadOnlyList<string>>>(() => ReadAsync(k)));
        return read.Value;
    }

    private async Task<IReadOnlyList<string>> ReadAsync((string Room, string Epoch, long Offset) key)
    {
        try
        {
            return await store.GetMembersAsync(key.Room);
        }
        finally
        {
            // Listeners of this change call in within moments of each other; later changes are later offsets.
            _ = Task.Delay(TimeSpan.FromSeconds(5)).ContinueWith(_ => _reads.TryRemove(key, out var _), TaskScheduler.Default);
        }
    }
}
