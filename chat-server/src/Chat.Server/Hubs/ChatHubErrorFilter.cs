using Chat.Server.Observability;
using Chat.Server.Rooms;
using Microsoft.AspNetCore.SignalR;

namespace Chat.Server.Hubs;

/// <summary>Turns the chat's refusals into HubExceptions, whose message the client sees (others are hidden by SignalR).</summary>
public sealed class ChatHubErrorFilter(ChatMetrics metrics) : IHubFilter
{
    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        try
        {
            return await next(invocationContext);
        }
        catch (ChatValidationException e)
        {
            metrics.Error("validation");
            throw new HubException(e.Message);
        }
        catch (BrokerUnavailableException e)
        {
            metrics.Error("broker_unavailable");
            throw new HubException("The chat store is unavailable, nothing was sent; retry shortly. " + e.Message);
        }
    }
}
