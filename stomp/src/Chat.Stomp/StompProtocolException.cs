namespace Chat.Stomp;

/// <summary>
/// A client broke the protocol or a limit. The session answers with an ERROR frame carrying
/// <see cref="Exception.Message"/> (and <see cref="ReceiptId"/> when the frame asked for a receipt), then closes.
/// </summary>
public sealed class StompProtocolException(string message, string kind = "stomp_protocol", string? receiptId = null) : Exception(message)
{
    /// <summary>The `kind` tag of chat_errors_total.</summary>
    public string Kind { get; } = kind;

    public string? ReceiptId { get; } = receiptId;

    public StompProtocolException WithReceipt(string? receiptId) =>
        receiptId is null || ReceiptId is not null ? this : new StompProtocolException(Message, Kind, receiptId);
}
