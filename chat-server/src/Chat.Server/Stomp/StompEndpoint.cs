using Chat.Server.Connections;
using Chat.Server.Hosting;
using Chat.Server.Identity;
using Chat.Server.Identity.Jwt;
using Chat.Server.Limits;
using Chat.Server.Observability;
using Chat.Server.Rooms;
using Chat.Stomp;
using Microsoft.Extensions.Options;

namespace Chat.Server.Stomp;

/// <summary>
/// The HTTP side of <c>/ws</c>: refuses what is not a WebSocket upgrade, a foreign Origin, subprotocols none of
/// which is STOMP, and connections over the address's or the server's limits (429/503 with the reason); echoes the
/// best STOMP subprotocol (browsers fail the handshake otherwise); runs a session.
/// </summary>
public sealed class StompEndpoint(
    IChatRooms rooms,
    ConnectionRegistry registry,
    ChatLimits limits,
    ChatMetrics metrics,
    OriginPolicy originPolicy,
    IOptions<StompOptions> options,
    StompSessionClock clock,
    IOptions<ChatOptions> chatOptions,
    IServiceProvider services,
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

        var address = context.Connection.RemoteIpAddress;
        var admission = limits.Connections.TryConnect(address);
        admission = admission.IsAdmitted ? limits.Connections.TryHold(address) : admission;
        if (!admission.IsAdmitted)
        {
            metrics.Error(ChatErrorKinds.ConnectionLimit);
            context.Response.Headers.RetryAfter = "1";
            await RefuseAsync(context, admission.Refusal == ServiceDefaults.Limits.ConnectionRefusal.Total ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status429TooManyRequests, admission.Reason!);
            return;
        }

        using var lease = admission.Lease;
        using var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext { SubProtocol = subProtocol });
        // A token on the upgrade itself (non-browser clients) authenticates like one in CONNECT.
        var caller = new ChatCaller(address);
        var tokens = services.GetService<JwtTokenValidator>() is { } validator ? new StompTokens(validator, context.Request.Headers.Authorization.ToString()) : null;
        var session = new StompSession(socket, rooms, caller, tokens, options.Value, clock, chatOptions.Value.OutgoingQueueLength, chatOptions.Value.ReplicaId, metrics, logger);
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
