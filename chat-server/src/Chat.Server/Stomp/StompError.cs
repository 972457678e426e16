using System.Net.WebSockets;
using Chat.Server.Backplane;
using Chat.Server.Rooms;
using Chat.Stomp;

namespace Chat.Server.Stomp;

/// <summary>
/// Why a STOMP session ends with an ERROR frame: the <c>kind</c> tag of <c>chat_errors_total</c>, the WebSocket close
/// status that follows the ERROR, and whether frames still queued for the client are dropped first.
/// </summary>
public sealed class StompError
{
    private StompError(string tag, WebSocketCloseStatus closeStatus, bool dropQueued = false)
    {
        Tag = tag;
        CloseStatus = closeStatus;
        DropQueued = dropQueued;
    }

    public string Tag { get; }

    public WebSocketCloseStatus CloseStatus { get; }

    public bool DropQueued { get; }

    public static StompError Malformed { get; } = new("stomp_protocol", WebSocketCloseStatus.ProtocolError);
    public static StompError InvalidUtf8 { get; } = new("stomp_utf8", WebSocketCloseStatus.ProtocolError);
    public static StompError UnsupportedVersion { get; } = new("stomp_version", WebSocketCloseStatus.ProtocolError);
    public static StompError NotConnected { get; } = new("stomp_not_connected", WebSocketCloseStatus.ProtocolError);
    public static StompError MissingHeader { get; } = new("stomp_missing_header", WebSocketCloseStatus.ProtocolError);
    public static StompError UnknownDestination { get; } = new("stomp_destination", WebSocketCloseStatus.ProtocolError);
    public static StompError Refused { get; } = new("stomp_invalid", WebSocketCloseStatus.ProtocolError);
    public static StompError ConnectTimeout { get; } = new("stomp_timeout", WebSocketCloseStatus.ProtocolError);
    public static StompError HeartBeatMissed { get; } = new("stomp_heartbeat", WebSocketCloseStatus.ProtocolError);
    public static StompError Limit { get; } = new("stomp_limit", WebSocketCloseStatus.PolicyViolation);
    public static StompError RateLimit { get; } = new("stomp_rate_limit", WebSocketCloseStatus.PolicyViolation);
    public static StompError SlowConsumer { get; } = new("stomp_slow_consumer", WebSocketCloseStatus.PolicyViolation, dropQueued: true);
    public static StompError BrokerUnavailable { get; } = new(ChatErrorKinds.BrokerUnavailable, WebSocketCloseStatus.InternalServerError);
    public static StompError Internal { get; } = new("stomp_internal", WebSocketCloseStatus.InternalServerError);

    /// <summary>The codec's verdict on a client frame.</summary>
    public static StompError Of(StompFault fault) => fault switch
    {
        StompFault.Limit => Limit,
        StompFault.InvalidUtf8 => InvalidUtf8,
        StompFault.UnsupportedVersion => UnsupportedVersion,
        _ => Malformed,
    };

    /// <summary>The chat's refusal of a client request (bad input, unavailable store, a limit).</summary>
    public static StompError Of(ChatException refusal) => refusal switch
    {
        BrokerUnavailableException => BrokerUnavailable,
        ChatValidationException => Refused,
        _ => new StompError(refusal.Kind, WebSocketCloseStatus.PolicyViolation),
    };
}
