using System.ComponentModel.DataAnnotations;
using Chat.Stomp;

namespace Chat.Server.Stomp;

/// <summary>
/// Limits and timings of the STOMP endpoint (configuration section <c>Chat:Stomp</c>, env <c>Chat__Stomp__*</c>),
/// validated at start-up. The defaults suit a public chat.
/// </summary>
public sealed class StompOptions : IValidatableObject
{
    public const string SectionName = "Chat:Stomp";

    private const string Positive = SectionName + ":{0} must be positive.";
    private const string OffOrPositive = SectionName + ":{0} must be 0 (off) or positive.";

    /// <summary>Largest frame (command + headers + body + NUL) a client may send.</summary>
    [Range(1, int.MaxValue, ErrorMessage = Positive)]
    public int MaxFrameBytes { get; set; } = 64 * 1024;

    /// <summary>Most header entries in one client frame.</summary>
    [Range(1, int.MaxValue, ErrorMessage = Positive)]
    public int MaxHeaders { get; set; } = 100;

    /// <summary>Longest header line in a client frame.</summary>
    [Range(1, int.MaxValue, ErrorMessage = Positive)]
    public int MaxHeaderLineBytes { get; set; } = 8 * 1024;

    /// <summary>Most open subscriptions per connection.</summary>
    [Range(1, int.MaxValue, ErrorMessage = Positive)]
    public int MaxSubscriptions { get; set; } = 100;

    /// <summary>Client frames per second, sustained (token bucket; heart-beats are not counted).</summary>
    [Range(1, int.MaxValue, ErrorMessage = Positive)]
    public int MaxFramesPerSecond { get; set; } = 50;

    /// <summary>Client frames allowed in a burst above the sustained rate.</summary>
    [Range(1, int.MaxValue, ErrorMessage = Positive)]
    public int FrameBurst { get; set; } = 100;

    /// <summary>Most open transactions per connection.</summary>
    [Range(1, int.MaxValue, ErrorMessage = Positive)]
    public int MaxTransactions { get; set; } = 10;

    /// <summary>Most SEND frames held by one transaction until COMMIT.</summary>
    [Range(1, int.MaxValue, ErrorMessage = Positive)]
    public int MaxFramesPerTransaction { get; set; } = 100;

    /// <summary>
    /// Bytes queued for a connection before it counts as a slow consumer and is closed (the frame count bound is
    /// the chat's <c>Chat:OutgoingQueueLength</c>, shared with SignalR).
    /// </summary>
    [Range(1, int.MaxValue, ErrorMessage = Positive)]
    public int OutgoingQueueBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Heart-beat interval the server can send (CONNECTED heart-beat sx, ms; 0 = none).</summary>
    [Range(0, int.MaxValue, ErrorMessage = OffOrPositive)]
    public int HeartBeatSendMilliseconds { get; set; } = 10_000;

    /// <summary>Heart-beat interval the server wants from clients (CONNECTED heart-beat sy, ms; 0 = none).</summary>
    [Range(0, int.MaxValue, ErrorMessage = OffOrPositive)]
    public int HeartBeatReceiveMilliseconds { get; set; } = 10_000;

    /// <summary>A connection silent for this many negotiated client heart-beat intervals is closed.</summary>
    [Range(1.0, 1000.0, ErrorMessage = SectionName + ":{0} must be between {1} and {2}.")]
    public double HeartBeatTolerance { get; set; } = 2.0;

    /// <summary>Time a new WebSocket has to send CONNECT.</summary>
    [Range(1, int.MaxValue, ErrorMessage = Positive)]
    public int ConnectTimeoutMilliseconds { get; set; } = 10_000;

    public StompFrameLimits FrameLimits => new(MaxFrameBytes, MaxHeaders, MaxHeaderLineBytes);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (MaxHeaderLineBytes > MaxFrameBytes)
        {
            yield return new ValidationResult($"{SectionName}:MaxHeaderLineBytes ({MaxHeaderLineBytes}) must not exceed MaxFrameBytes ({MaxFrameBytes}).");
        }
    }
}
