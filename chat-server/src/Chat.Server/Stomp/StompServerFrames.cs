using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Chat.Contracts;
using Chat.Stomp;

namespace Chat.Server.Stomp;

/// <summary>The frames the server sends, serialized to bytes ready for the outbox.</summary>
public static class StompServerFrames
{
    /// <summary>A message's JSON body, serialized once however many subscribers it has on this replica.</summary>
    private static readonly ConditionalWeakTable<ChatMessage, byte[]> Bodies = new();

    public static readonly byte[] HeartBeat = "\n"u8.ToArray();

    public static byte[] JsonBody(ChatMessage message) =>
        Bodies.GetValue(message, static m => JsonSerializer.SerializeToUtf8Bytes(m, ChatJson.Options));

    /// <summary>CONNECTED, naming the replica; <paramref name="reconnectSecret"/> (anonymous mode) as <c>x-reconnect-secret</c>.</summary>
    public static byte[] Connected(string version, StompHeartBeat offer, string sessionId, string replica, string? reconnectSecret = null) => Build(output =>
    {
        StompFrameWriter.WriteCommand(output, StompCommand.Connected);
        StompFrameWriter.WriteHeader(output, StompHeaders.Version, version, escape: false);
        StompFrameWriter.WriteHeader(output, StompHeaders.HeartBeat, $"{(long)offer.SendEvery.TotalMilliseconds},{(long)offer.ExpectEvery.TotalMilliseconds}", escape: false);
        StompFrameWriter.WriteHeader(output, StompHeaders.Session, sessionId, escape: false);
        StompFrameWriter.WriteHeader(output, StompHeaders.Server, "Chat.Server/1.0", escape: false);
        StompFrameWriter.WriteHeader(output, ChatStompProtocol.Replica, replica, escape: false);
        if (reconnectSecret is not null)
        {
            StompFrameWriter.WriteHeader(output, ChatStompProtocol.ReconnectSecret, reconnectSecret, escape: false);
        }

        StompFrameWriter.WriteBody(output, default);
    });

    public static byte[] Receipt(string receiptId, bool escape) => Build(output =>
    {
        StompFrameWriter.WriteCommand(output, StompCommand.Receipt);
        StompFrameWriter.WriteHeader(output, StompHeaders.ReceiptId, receiptId, escape);
        StompFrameWriter.WriteBody(output, default);
    });

    /// <summary>ERROR with a one-line `message` header (and the same text as body), `receipt-id` when the frame asked for one.</summary>
    public static byte[] Error(string message, string? receiptId, bool escape, string? version = null) => Build(output =>
    {
        var oneLine = message.ReplaceLineEndings(" ");
        StompFrameWriter.WriteCommand(output, StompCommand.Error);
        StompFrameWriter.WriteHeader(output, StompHeaders.Message, oneLine, escape);
        if (receiptId is not null)
        {
            StompFrameWriter.WriteHeader(output, StompHeaders.ReceiptId, receiptId, escape);
        }

        if (version is not null)
        {
            StompFrameWriter.WriteHeader(output, StompHeaders.Version, version, escape);
        }

        StompFrameWriter.WriteHeader(output, StompHeaders.ContentType, "text/plain", escape);
        StompFrameWriter.WriteBody(output, Encoding.UTF8.GetBytes(oneLine));
    });

    /// <summary>MESSAGE for one subscription: destination, subscription, message-id, ack (client modes), x-offset, x-epoch, JSON body.</summary>
    public static byte[] Message(ChatMessage message, string destination, string subscriptionId, string messageId, bool withAck, bool escape) => Build(output =>
    {
        StompFrameWriter.WriteCommand(output, StompCommand.Message);
        StompFrameWriter.WriteHeader(output, StompHeaders.Destination, destination, escape);
        StompFrameWriter.WriteHeader(output, StompHeaders.Subscription, subscriptionId, escape);
        StompFrameWriter.WriteHeader(output, StompHeaders.MessageId, messageId, escape);
        if (withAck)
        {
            StompFrameWriter.WriteHeader(output, StompHeaders.Ack, messageId, escape);
        }

        StompFrameWriter.WriteHeader(output, StompHeaders.ContentType, "application/json", escape);
        StompFrameWriter.WriteHeader(output, "x-offset"u8, message.Offset);
        StompFrameWriter.WriteHeader(output, ChatStompProtocol.Epoch, message.Epoch, escape);
        StompFrameWriter.WriteBody(output, JsonBody(message));
    });

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_output;

    private static byte[] Build(Action<ArrayBufferWriter<byte>> write)
    {
        var output = t_output ??= new ArrayBufferWriter<byte>(1024);
        output.ResetWrittenCount();
        write(output);
        return output.WrittenSpan.ToArray();
    }
}
