using StackExchange.Redis;

namespace Chat.Server.Backplane.Redis;

/// <summary>
/// Keeps each room's sharded subscription on the node that owns the room's slot. When that node fails, Redis
/// promotes a replica, but a subscription on the dead node is never restored by the client library (that node does
/// not come back): every second each room's subscription is checked, moved to the slot's current owner when it
/// is not connected there, and the room catches up from its stream, so nothing published meanwhile is missed.
/// </summary>
public sealed partial class RedisRoomBroker
{
    private static readonly TimeSpan WatchInterval = TimeSpan.FromSeconds(1);
    private readonly ITimer _watchdog;
    private int _watching;

    private async Task CheckSubscriptionsAsync()
    {
        if (Interlocked.Exchange(ref _watching, 1) == 1 || !_redis.IsConnected)
        {
            Volatile.Write(ref _watching, 0);
            return;
        }

        try
        {
            var subscriber = _redis.GetSubscriber();
            var db = _redis.GetDatabase();
            foreach (var state in _rooms.Values)
            {
                var channel = RedisKeys.Channel(state.Name);
                if (state.Closed || (state.Queue is not null && subscriber.IsConnected(channel)
                    && Equals(subscriber.SubscribedEndpoint(channel), db.IdentifyEndpoint(RedisKeys.Meta(state.Name)))))
                {
                    continue;
                }

                await ResubscribeAsync(state);
            }
        }
        catch (Exception e)
        {
            _logger.LogDebug(e, "Checking the room subscriptions failed; the next check tries again");
        }
        finally
        {
            Volatile.Write(ref _watching, 0);
        }
    }

    private async Task ResubscribeAsync(RedisRoom state)
    {
        await state.Gate.WaitAsync();
        try
        {
            if (state.Closed || state.Delivered is null)
            {
                return; // Gone, or still being subscribed for the first time.
            }

            if (state.Queue is { } old)
            {
                state.Queue = null;
                try
                {
                    await old.UnsubscribeAsync();
                }
                catch (Exception e) when (RedisFailures.IsUnavailable(e) || e is RedisException)
                {
                    // It lived on a node that is gone.
                }
            }

            var queue = await _redis.GetSubscriber().SubscribeAsync(RedisKeys.Channel(state.Name));
            queue.OnMessage(message => OnPublishedAsync(state, message));
            state.Queue = queue;
            await CatchUpLockedAsync(state);
            _logger.LogInformation("Room {Room}: subscription moved to {Endpoint} and caught up to {Offset}", state.Name, _redis.GetSubscriber().SubscribedEndpoint(RedisKeys.Channel(state.Name)), state.Delivered?.Offset);
        }
        catch (Exception e) when (RedisFailures.IsUnavailable(e) || e is RedisException)
        {
            _logger.LogDebug("Room {Room}: resubscribing failed ({Error}); the next check tries again", state.Name, e.Message);
        }
        finally
        {
            state.Gate.Release();
        }
    }
}
