using System.ComponentModel.DataAnnotations;

namespace Chat.Server.Hosting;

/// <summary>The `Chat` configuration section; validated at start-up.</summary>
public sealed class ChatOptions
{
    public const string SectionName = "Chat";

    /// <summary>Shown to clients (Join result, X-Chat-Replica header); defaults to the host name.</summary>
    [Required]
    [RegularExpression(@"^[A-Za-z0-9._:-]{1,64}$", ErrorMessage = "Chat:ReplicaId must be 1-64 letters, digits or . _ : -")]
    public string ReplicaId { get; set; } = Environment.MachineName;

    /// <summary>Messages kept per room (the Redis stream is trimmed to about this length).</summary>
    [Range(1, 1_000_000)]
    public int HistoryLength { get; set; } = 1000;

    /// <summary>
    /// How long a room without messages or readers is kept (Redis: TTL of its keys, refreshed on every publish and
    /// read; in memory: idle rooms without subscribers are dropped). Then it starts again in a new epoch. Default 7 days.
    /// </summary>
    [Range(60, 31_536_000)]
    public int RoomRetentionSeconds { get; set; } = 7 * 24 * 3600;

    /// <summary>
    /// Browser origins (scheme://host[:port]) allowed to open /hub/chat and /ws besides the server's own origin.
    /// Requests without an Origin header (non-browser clients) are always allowed; "*" allows every origin.
    /// </summary>
    [OriginList]
    public List<string> AllowedOrigins { get; set; } = [];

    /// <summary>Messages a Join returns as history.</summary>
    [Range(0, 1000)]
    public int JoinHistoryCount { get; set; } = 50;

    /// <summary>How long a user stays present after the last connection went away, so a reconnect does not flicker LEAVE/JOIN.</summary>
    [Range(0, 3600)]
    public double PresenceGraceSeconds { get; set; } = 5;

    /// <summary>Seconds a replica's presence entries live in Redis without refresh (a crashed replica's users leave after this).</summary>
    [Range(3, 3600)]
    public int PresenceTtlSeconds { get; set; } = 30;

    [Range(1, 256)]
    public int MaxNameLength { get; set; } = 32;

    [Range(1, 64)]
    public int MaxRoomLength { get; set; } = 64;

    [Range(1, 1_000_000)]
    public int MaxContentLength { get; set; } = 2000;

    /// <summary>Messages queued for one slow connection before it is closed (it reconnects and resumes).</summary>
    [Range(16, 1_000_000)]
    public int OutgoingQueueLength { get; set; } = 2000;
}
