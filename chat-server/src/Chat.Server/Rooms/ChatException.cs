namespace Chat.Server.Rooms;

/// <summary>
/// A refusal or failure the client is told about in words: its <see cref="Exception.Message"/> is for the client,
/// its <see cref="Kind"/> is the <c>kind</c> tag of <c>chat_errors_total</c>. Nothing was written.
/// </summary>
public abstract class ChatException(string kind, string message, Exception? inner = null) : Exception(message, inner)
{
    public string Kind { get; } = kind;
}

/// <summary>Input a client sent that the chat refuses (bad name, bad room, bad content, impersonation).</summary>
public sealed class ChatValidationException(string message) : ChatException(ChatErrorKinds.Validation, message);

/// <summary>A limit the client reached (rate, rooms, history, connections); <see cref="ChatException.Kind"/> says which.</summary>
public sealed class ChatLimitException(string kind, string message) : ChatException(kind, message);

/// <summary>A room read or subscription of a room the connection has not joined.</summary>
public sealed class ChatNotMemberException(string room, string what)
    : ChatException(ChatErrorKinds.NotMember, $"Join the room '{room}' before {what}: history and live messages are for members only.");

/// <summary>The <c>kind</c> tags of <c>chat_errors_total</c> that the chat core reports.</summary>
public static class ChatErrorKinds
{
    public const string Validation = "validation";
    public const string BrokerUnavailable = "broker_unavailable";
    public const string SlowConsumer = "slow_consumer";
    public const string Internal = "internal";
    public const string NameTaken = "name_taken";
    public const string Forbidden = "forbidden";
    public const string Unauthenticated = "unauthenticated";
    public const string TokenExpired = "token_expired";
    public const string NotMember = "not_member";
    public const string RateLimit = "rate_limit";
    public const string RoomLimit = "room_limit";
    public const string HistoryRateLimit = "history_rate_limit";
    public const string ConnectionLimit = "connection_limit";
    public const string Origin = "origin";

    /// <summary>A background service (load report, presence refresh, pod deletion cost) failed one round; it retries.</summary>
    public const string Background = "background";
}
