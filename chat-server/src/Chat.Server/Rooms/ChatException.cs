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

/// <summary>The <c>kind</c> tags of <c>chat_errors_total</c> that the chat core reports.</summary>
public static class ChatErrorKinds
{
    public const string Validation = "validation";
    public const string BrokerUnavailable = "broker_unavailable";
    public const string SlowConsumer = "slow_consumer";
    public const string Internal = "internal";

    /// <summary>A background service (load report, presence refresh, pod deletion cost) failed one round; it retries.</summary>
    public const string Background = "background";
}
