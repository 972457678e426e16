using Chat.Server.Hosting;
using Chat.Contracts;
using Chat.Server.Backplane;
using Chat.Server.Backplane.Memory;
using Chat.Server.Identity;
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
    ILogger<PresenceTracker> logger,
    INameRegistry? names = null)
{
    private readonly INameRegistry _names = names ?? new InMemoryNameRegistry();
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

    /// <summary>The name claims this replica holds (anonymous mode), to keep them alive.</summary>
    public IReadOnlyList<(string Room, string Key, string Owner)> HeldClaims()
    {
        lock (_entries)
        {
            return _entries.Where(e => e.Value.Claim is not null).Select(e => (e.Key.Room, e.Value.Claim!.Key, e.Value.Claim.Owner)).ToArray();
        }
    }

    public Task AcquireAsync(string room, string user, CancellationToken cancellationToken) => AcquireAsync(room, user, null, cancellationToken);

    /// <summary>
    /// One more connection of the user is in the room. Publishes JOIN if the user was nowhere in it. With a
    /// <paramref name="claim"/> (anonymous mode) the name must be free or held by the same owner, here and on every
    /// replica; otherwise <see cref="ChatNameTakenException"/>.
    /// </summary>
    public async Task AcquireAsync(string room, string user, NameClaim? claim, CancellationToken cancellationToken)
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
                    _entries[key] = entry = new Entry { Claim = claim };
                }
                else if (entry.Claim != claim)
                {
                    throw new ChatNameTakenException(user, room);
                }

                entry.Connections++;
                if (entry.Connections > 1 || entry.CancelPendingLeave())
                {
                    return; // Already present here (another connection, or back within the grace period).
                }
            }

            var claimed = false;
            try
            {
                if (claim is not null && !(claimed = await _names.ClaimAsync(room, claim.Key, claim.Owner, cancellationToken)))
                {
                    throw new ChatNameTakenException(user, room);
                }

                if (await store.AddAsync(room, user, cancellationToken))
                {
                    await PublishJoinAsync(room, user);
                }

                entry.Stored = true;
            }
            catch
            {
                bool last;
                lock (_entries)
                {
                    last = --entry.Connections == 0;
                    if (last)
                    {
                        _entries.Remove(key);
                    }
                }

                if (last && claimed)
                {
                    await ReleaseClaimAsync(room, claim!);
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
            NameClaim? claim;
            lock (_entries)
            {
                if (!_entries.TryGetValue(key, out var entry) || entry.Connections == 0 || --entry.Connections > 0)
                {
                    return;
                }

                claim = entry.Claim;

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
                await LeaveAsync(room, user, claim);
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
            NameClaim? claim;
            lock (_entries)
            {
                if (!_entries.TryGetValue(key, out var entry) || entry.PendingLeave != pending || entry.Connections > 0)
                {
                    return;
                }

                _entries.Remove(key);
                claim = entry.Claim;
            }

            await LeaveAsync(key.Room, key.User, claim);
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

    private async Task LeaveAsync(string room, string user, NameClaim? claim)
    {
        try
        {
            if (await store.RemoveAsync(room, user))
            {
                if (claim is not null)
                {
                    await ReleaseClaimAsync(room, claim);
                }

                await broker.PublishAsync(room, MessageType.LEAVE, user, null);
            }
        }
        catch (Exception e)
        {
            // The store is away: the entry expires there by itself; nothing to undo here.
            logger.LogWarning(e, "Could not record that {User} left {Room}", user, room);
        }
    }

    private async Task ReleaseClaimAsync(string room, NameClaim claim)
    {
        try
        {
            await _names.ReleaseAsync(room, claim.Key, claim.Owner);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Could not free a name in {Room}; it expires by itself", room);
        }
    }

    private SemaphoreSlim Stripe((string Room, string User) key) => _stripes[StripeIndex(key)];

    private int StripeIndex((string Room, string User) key) => (int)((uint)key.GetHashCode() % (uint)_stripes.Length);

    private sealed class Entry
    {
        public int Connections { get; set; }

        /// <summary>True once the store holds this replica's presence of the user (and the JOIN, if any, is published).</summary>
        public bool Stored { get; set; }

        /// <summary>Anonymous mode: the name's owner (all connections of the entry share it).</summary>
        public NameClaim? Claim { get; init; }

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
