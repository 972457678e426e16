using Chat.Server.Connections;
using Chat.Server.Hosting;
using Chat.Server.Observability;
using Chat.Server.Rooms;
using Chat.Stomp;
using Microsoft.Extensions.Options;

namespace Chat.Server.Stomp;

/// <summary>
/// The HTTP side of <c>/ws</c>: refuses what is not a WebSocket upgrade, a foreign Origin, or subprotocols none of
/// which is STOMP; echoes the best STOMP subprotocol (browsers fail the handshake otherwise); runs a session.
/// </summary>
public sealed class StompEndpoint(
    IChatRooms rooms,
    ConnectionRegistry registry,
    ChatMetrics metrics,
    StompOriginPolicy originPolicy,
    IOptions<StompOptions> options,
    IOptions<ChatOptions> chatOptions,
    ILogger<StompSession> logger)
{
    public async Task HandleAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            await RefuseAsync(context, StatusCodes.Status400BadRequest, "STOMP endpoint: connect with a WebSocket (subprotocol v12.stomp, v11.stomp or v10.stomp).");
            return;
        }

        if (!originPolicy.IsAllowed(context.Request))
        {
            metrics.Error("stomp_origin");
            await RefuseAsync(context, StatusCodes.Status403Forbidden, $"Origin '{context.Request.Headers.Origin}' is not allowed.");
            return;
        }

        var offered = context.WebSockets.WebSocketRequestedProtocols;
        var subProtocol = StompVersion.ChooseSubProtocol(offered);
        if (offered.Count > 0 && subProtocol is null)
        {
            await RefuseAsync(context, StatusCodes.Status400BadRequest, $"Unsupported WebSocket subprotocol '{string.Join(", ", offered)}': use v12.stomp, v11.stomp or v10.stomp.");
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext { SubProtocol = subProtocol });
        var session = new StompSession(socket, rooms, options.Value, chatOptions.Value.OutgoingQueueLength, chatOptions.Value.ReplicaId, metrics, logger);
        registry.Add(session);
        try
        {
            await session.RunAsync();
        }
        finally
        {
            registry.Remove(session);
        }
    }

    private static Task RefuseAsync(HttpContext context, int status, string reason)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsync(reason);
    }
}
