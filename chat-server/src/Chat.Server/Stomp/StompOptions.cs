using Chat.Stomp;

namespace Chat.Server.Stomp;

/// <summary>
/// Limits and timings of the STOMP endpoint (configuration section <c>Chat:Stomp</c>, env <c>Chat__Stomp__*</c>).
/// Validated at start-up by <see cref="StompOptionsValidator"/>. The defaults suit a public chat.
/// </summary>
public sealed class StompOptions
{
    public const string SectionName = "Chat:Stomp";

    /// <summary>Largest frame (command + headers + body + NUL) a client may send.</summary>
    public int MaxFrameBytes { get; set; } = 64 * 1024;

    /// <summary>Most header entries in one client frame.</summary>
    public int MaxHeaders { get; set; } = 100;

    /// <summary>Longest header line in a client frame.</summary>
    public int MaxHeaderLineBytes { get; set; } = 8 * 1024;

    /// <summary>Most open subscriptions per connection.</summary>
    public int MaxSubscriptions { get; set; } = 100;

    /// <summary>Client frames per second, sustained (token bucket; heart-beats are not counted).</summary>
    public int MaxFramesPerSecond { get; set; } = 50;

    /// <summary>Client frames allowed in a burst above the sustained rate.</summary>
    public int FrameBurst { get; set; } = 100;

    /// <summary>Most open transactions per connection.</summary>
    public int MaxTransactions { get; set; } = 10;

    /// <summary>Most SEND frames held by one transaction until COMMIT.</summary>
    public int MaxFramesPerTransaction { get; set; } = 100;

    /// <summary>
    /// Bytes queued for a connection before it counts as a slow consumer and is closed (the frame count bound is
    /// the chat's <c>Chat:OutgoingQueueLength</c>, shared with SignalR).
    /// </summary>
    public int OutgoingQueueBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Heart-beat interval the server can send (CONNECTED heart-beat sx, ms; 0 = none).</summary>
    public int HeartBeatSendMilliseconds { get; set; } = 10_000;

    /// <summary>Heart-beat interval the server wants from clients (CONNECTED heart-beat sy, ms; 0 = none).</summary>
    public int HeartBeatReceiveMilliseconds { get; set; } = 10_000;

    /// <summary>A connection silent for this many negotiated client heart-beat intervals is closed.</summary>
    public double HeartBeatTolerance { get; set; } = 2.0;

    /// <summary>Time a new WebSocket has to send CONNECT.</summary>
    public int ConnectTimeoutMilliseconds { get; set; } = 10_000;

    /// <summary>
    /// Origins (scheme://host[:port]) allowed to open the WebSocket from a browser, besides the server's own origin.
    /// Requests without an Origin header (non-browser clients) are always allowed; "*" allows every origin.
    /// </summary>
    public List<string> AllowedOrigins { get; set; } = [];

    public StompFrameLimits FrameLimits => new(MaxFrameBytes, MaxHeaders, MaxHeaderLineBytes);
}
