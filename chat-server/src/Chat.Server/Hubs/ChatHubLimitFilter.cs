using Chat.Server.Limits;
using Chat.Server.Rooms;
using Chat.ServiceDefaults.Limits;
using Microsoft.AspNetCore.SignalR;

namespace Chat.Server.Hubs;

/// <summary>
/// Each connection's hub calls through its own token bucket (<c>Chat:Limits:InvocationsPerSecond</c> and
/// <c>InvocationBurst</c>, the twin of STOMP's frame limit): a call over the limit is refused with a clear error
/// and not run; the connection stays.
/// </summary>
public sealed class ChatHubLimitFilter(ChatLimits limits) : IHubFilter
{
    private const string BucketKey = "chat.invocations";

    public Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
    {
        context.Context.Items[BucketKey] = limits.NewInvocationBucket();
        return next(context);
    }

    public ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        if (invocationContext.Context.Items[BucketKey] is TokenBucket bucket && !bucket.TryAcquire())
        {
            throw new ChatLimitException(ChatErrorKinds.RateLimit,
                $"Rate limit: at most {limits.Options.InvocationsPerSecond:0.##} calls per second per connection (burst {limits.Options.InvocationBurst}); '{invocationContext.HubMethodName}' was not run.");
        }

        return next(invocationContext);
    }
}
