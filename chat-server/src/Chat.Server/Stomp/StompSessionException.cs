namespace Chat.Server.Stomp;

/// <summary>A client frame the session refuses: one ERROR frame (with receipt-id when the frame asked for one), then close.</summary>
public sealed class StompSessionException(StompError error, string message, string? receiptId = null) : Exception(message)
{
    public StompError Error { get; } = error;

    public string? ReceiptId { get; } = receiptId;

    public StompSessionException WithReceipt(string? receiptId) =>
        receiptId is null || ReceiptId is not null ? this : new StompSessionException(Error, Message, receiptId);
}
