using Chat.Server.Hosting;
using Chat.Contracts;
using Chat.Server.Backplane;
using Microsoft.Extensions.Options;

namespace Chat.Server.Presence;

/// <summary>
/// This replica's users per room: counts their connections, keeps a user present for the grace period after the
/// last one went away, and publishes JOIN/LEAVE when the user appears in or disappears from the room everywhere.
/// Changes of one (room, user) are serialized, so a reconnect racing the end of a grace period stays consistent.
/// </summary>
public sealed class PresenceTracker(
    IPresenceStore store,
    IRoomBroker broker,
    IOptions<ChatOptions> options,
    TimeProvider time,
    ILogger<PresenceTracker> logger)
{
    private readonly Dictionary<(string Room, string User), Entry> _entries = [];
    private readonly SemaphoreSlim[] _stripes = Enumerable.Range(0, 64).Select(_ => new SemaphoreSlim(1, 1)).ToArray();
    private readonly TimeSpan _grace = TimeSpan.FromSeconds(options.Value.PresenceGraceSeconds);

    /// <summary>
    /// Calls <paramref name="refresh"/> with the (room, user) pairs this replica holds present in the store (including
    /// those within their grace period), a stripe at a time while that stripe's joins and leaves wait: a refresh can
    /// neither add a user before their JOIN is decided (which would swallow the JOIN) nor put back one who just left.
    /// Returns every pair refreshed.
    /// </summary>
    public async Task<IReadOnlyList<(string Room, string User)>> RefreshAsync(
        Func<IReadOnlyList<(string Room, string User)>, Task> refresh, CancellationToken cancellationToken)
    {
        ILookup<int, (string Room, string User)> byStripe;
        lock (_entries)
        {
            byStripe = _entries.Where(e => e.Value.Stored).Select(e => e.Key).ToLookup(StripeIndex);
        }

        var refreshed = new List<(string Room, string User)>();
        foreach (var group in byStripe)
        {
            var stripe = _stripes[group.Key];
            await stripe.WaitAsync(cancellationToken);
            try
            {
                List<(string Room, string User)> stored;
                lock (_entries)
                {
                    // Still held? A leave may have come first.
                    stored = group.Where(key => _entries.TryGetValue(key, out var entry) && entry.Stored).ToList();
                }

                if (stored.Count > 0)
                {
                    await refresh(stored);
                    refreshed.AddRange(stored);
                }
            }
            finally
            {
                stripe.Release();
            }
        }

        return refreshed;
    }

    /// <summary>One more connection of the user is in the room. Publishes JOIN if the user was nowhere in it.</summary>
    public async Task AcquireAsync(string room, string user, CancellationToken cancellationToken)
    {
        var key = (room, user);
        var stripe = Stripe(key);
        await stripe.WaitAsync(cancellationToken);
        try
        {
            Entry entry;
            lock (_entries)
            {
                if (!_entries.TryGetValue(key, out entry!))
                {
                    _entries[key] = entry = new Entry();
                }

                entry.Connections++;
                if (entry.Connections > 1 || entry.CancelPendingLeave())
                {
                    return; // Already present here (another connection, or back within the grace period).
                }
            }

            try
            {
                if (await store.AddAsync(room, user, cancellationToken))
                {
                    await PublishJoinAsync(room, user);
                }

                entry.Stored = true;
            }
            catch
            {
                lock (_entries)
                {
                    if (--entry.Connections == 0)
                    {
                        _entries.Remove(key);
                    }
                }

                throw;
            }
        }
        finally
        {
            stripe.Release();
        }
    }

    // The store has the user now: without the JOIN in the room's history it must not keep them (no partial write).
    private async Task PublishJoinAsync(string room, string user)
    {
        try
        {
            await broker.PublishAsync(room, MessageType.JOIN, user, null);
        }
        catch
        {
            try
            {
                await store.RemoveAsync(room, user);
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Could not undo the presence of {User} in {Room}; it expires by itself", user, room);
            }

            throw;
        }
    }

    /// <summary>One connection of the user left the room; the last one starts the grace period (or leaves at once).</summary>
    public async Task ReleaseAsync(string room, string user, bool withGrace)
    {
        var key = (room, user);
        var stripe = Stripe(key);
        await stripe.WaitAsync();
        try
        {
            CancellationTokenSource? pending = null;
            lock (_entries)
            {
                if (!_entries.TryGetValue(key, out var entry) || entry.Connections == 0 || --entry.Connections > 0)
                {
                    return;
                }

                if (!withGrace || _grace <= TimeSpan.Zero)
                {
                    _entries.Remove(key);
                }
                else
                {
                    entry.PendingLeave = pending = new CancellationTokenSource();
                }
            }

            if (pending is null)
            {
                await LeaveAsync(room, user);
            }
            else
            {
                _ = LeaveAfterGraceAsync(key, pending);
            }
        }
        finally
        {
            stripe.Release();
        }
    }

    private async Task LeaveAfterGraceAsync((string Room, string User) key, CancellationTokenSource pending)
    {
        try
        {
            await Task.Delay(_grace, time, pending.Token);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        var stripe = Stripe(key);
        await stripe.WaitAsync();
        try
        {
            lock (_entries)
            {
                if (!_entries.TryGetValue(key, out var entry) || entry.PendingLeave != pending || entry.Connections > 0)
                {
                    return;
                }

                _entries.Remove(key);
            }

            await LeaveAsync(key.Room, key.User);
        }
        finally
        {
            stripe.Release();
            pending.Dispose();
        }
    }

    /// <summary>Publishes the LEAVE of a user the store dropped (their replica is gone).</summary>
    public async Task AnnounceLeaveAsync(string room, string user)
    {
        await broker.PublishAsync(room, MessageType.LEAVE, user, null);
    }

    private async Task LeaveAsync(string room, string user)
    {
        try
        {
            if (await store.RemoveAsync(room, user))
            {
                await broker.PublishAsync(room, MessageType.LEAVE, user, null);
            }
        }
        catch (Exception e)
        {
            // The store is away: the entry expires there by itself; nothing to undo here.
            logger.LogWarning(e, "Could not record that {User} left {Room}", user, room);
        }
    }

    private SemaphoreSlim Stripe((string Room, string User) key) => _stripes[StripeIndex(key)];

    private int StripeIndex((string Room, string User) key) => (int)((uint)key.GetHashCode() % (uint)_stripes.Length);

    private sealed class Entry
    {
        public int Connections { get; set; }

        /// <summary>True once the store holds this replica's presence of the user (and the JOIN, if any, is published).</summary>
        public bool Stored { get; set; }

        public CancellationTokenSource? PendingLeave { get; set; }

        /// <summary>True when a grace period was running (the user never left the store).</summary>
        public bool CancelPendingLeave()
        {
            if (PendingLeave is null)
            {
                return false;
            }

            PendingLeave.Cancel();
            PendingLeave = null;
            return true;
        }
    }
}
