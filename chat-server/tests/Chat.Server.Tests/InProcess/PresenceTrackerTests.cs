using Chat.Server.Hosting;
using Chat.Contracts;
using Chat.Server.Presence;
using Chat.Server.Backplane;
using Chat.Server.Backplane.Memory;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Chat.Server.Tests.InProcess;

/// <summary>The periodic presence refresh racing a join or a leave of the same user.</summary>
public sealed class PresenceTrackerTests
{
    private const string Room = "public";

    [Fact]
    public async Task A_refresh_during_a_join_does_not_swallow_the_JOIN()
    {
        var store = new PausingPresenceStore();
        var (tracker, broker) = Create(store);
        var addPaused = store.PauseNextAdd();

        var joining = tracker.AcquireAsync(Room, "alice", CancellationToken.None);
        await addPaused.Reached;
        // The refresher's tick comes while the join is between "entry created" and "stored": it must not add her.
        var refreshed = await tracker.RefreshAsync(entries => RefreshAsync(store, entries), CancellationToken.None);
        addPaused.Resume();
        await joining;

        Assert.Empty(refreshed);
        var history = await broker.ReadSinceAsync(Room, null, 10);
        Assert.Equal([(MessageType.JOIN, "alice")], history.Messages.Select(m => (m.Type, m.Sender)));
        Assert.Equal([(Room, "alice")], await tracker.RefreshAsync(entries => RefreshAsync(store, entries), CancellationToken.None));
    }

    [Fact]
    public async Task A_refresh_in_flight_during_a_leave_does_not_put_the_user_back()
    {
        var store = new PausingPresenceStore();
        var (tracker, broker) = Create(store);
        await tracker.AcquireAsync(Room, "alice", CancellationToken.None);

        var refreshPaused = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var refreshStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var refreshing = tracker.RefreshAsync(async entries =>
        {
            refreshStarted.SetResult();
            await refreshPaused.Task;
            await RefreshAsync(store, entries);
        }, CancellationToken.None);
        await refreshStarted.Task;
        var leaving = tracker.ReleaseAsync(Room, "alice", withGrace: false);
        refreshPaused.SetResult();
        await Task.WhenAll(refreshing, leaving);

        Assert.Empty(await store.GetMembersAsync(Room));
        var history = await broker.ReadSinceAsync(Room, null, 10);
        Assert.Equal([MessageType.JOIN, MessageType.LEAVE], history.Messages.Select(m => m.Type));
    }

    private static (PresenceTracker Tracker, InMemoryRoomBroker Broker) Create(IPresenceStore store)
    {
        var options = Options.Create(new ChatOptions { ReplicaId = "solo" });
        var broker = new InMemoryRoomBroker(options, TimeProvider.System);
        var tracker = new PresenceTracker(store, broker, options, TimeProvider.System, NullLogger<PresenceTracker>.Instance);
        return (tracker, broker);
    }

    // What the Redis refresher does: (re-)add each entry.
    private static async Task RefreshAsync(IPresenceStore store, IReadOnlyList<(string Room, string User)> entries)
    {
        foreach (var (room, user) in entries)
        {
            await store.AddAsync(room, user);
        }
    }

    /// <summary>In-memory presence whose next AddAsync can be held before it writes.</summary>
    private sealed class PausingPresenceStore : IPresenceStore
    {
        private readonly InMemoryPresenceStore _inner = new();
        private Pause? _nextAdd;

        public Pause PauseNextAdd() => _nextAdd = new Pause();

        public async Task<bool> AddAsync(string room, string user, CancellationToken cancellationToken = default)
        {
            if (Interlocked.Exchange(ref _nextAdd, null) is { } pause)
            {
                await pause.WaitAsync();
            }

            return await _inner.AddAsync(room, user, cancellationToken);
        }

        public Task<bool> RemoveAsync(string room, string user, CancellationToken cancellationToken = default) =>
            _inner.RemoveAsync(room, user, cancellationToken);

        public Task<IReadOnlyList<string>> GetMembersAsync(string room, CancellationToken cancellationToken = default) =>
            _inner.GetMembersAsync(room, cancellationToken);

        public Task RefreshAsync(IReadOnlyList<(string Room, string User)> entries, CancellationToken cancellationToken = default) =>
            _inner.RefreshAsync(entries, cancellationToken);

        public Task<IReadOnlyList<string>> PruneAsync(string room, CancellationToken cancellationToken = default) =>
            _inner.PruneAsync(room, cancellationToken);
    }

    private sealed class Pause
    {
        private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _resumed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Reached => _reached.Task;

        public void Resume() => _resumed.SetResult();

        public Task WaitAsync()
        {
            _reached.SetResult();
            return _resumed.Task;
        }
    }
}
