using Chat.Server.Backplane;
using Chat.Server.Observability;
using Chat.Server.Rooms;
using Microsoft.AspNetCore.SignalR;

namespace Chat.Server.Hubs;

/// <summary>
/// Turns the chat's refusals into HubExceptions, whose message the client sees (SignalR hides other messages), and
/// logs what failed unexpectedly. It replaces SignalR's own log of failed invocations (silenced in appsettings.json),
/// which would report every refused input as an error.
/// </summary>
public sealed class ChatHubErrorFilter(ChatMetrics metrics, ILogger<ChatHubErrorFilter> logger) : IHubFilter
{
    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        try
        {
            return await next(invocationContext);
        }
        catch (BrokerUnavailableException e)
        {
            metrics.Error(e.Kind);
            logger.LogWarning("{Method} failed: {Reason} {Cause}", invocationContext.HubMethodName, e.Message, e.InnerException?.Message);
            throw new HubException("The chat store is unavailable, nothing was sent; retry shortly. " + e.Message);
        }
        catch (ChatException e)
        {
            metrics.Error(e.Kind);
            logger.LogDebug("Refused {Method}: {Reason}", invocationContext.HubMethodName, e.Message);
            throw new HubException(e.Message);
        }
        catch (Exception e) when (e is not HubException and not OperationCanceledException)
        {
            metrics.Error(ChatErrorKinds.Internal);
            logger.LogError(e, "{Method} failed", invocationContext.HubMethodName);
            throw;
        }
    }
}
