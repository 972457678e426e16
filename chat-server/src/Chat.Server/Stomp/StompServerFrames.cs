using System.Buffers;
using System.Buffers.Text;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Chat.Contracts;
using Chat.Stomp;

namespace Chat.Server.Stomp;

/// <summary>The frames the server sends, serialized to bytes ready for the outbox.</summary>
public static class StompServerFrames
{
    /// <summary>The parts of a message's MESSAGE frame that every subscriber on this replica shares, built once.</summary>
    private static readonly ConditionalWeakTable<ChatMessage, MessageTails> Tails = new();

    public static readonly byte[] HeartBeat = "\n"u8.ToArray();

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

    /// <summary>
    /// A MESSAGE frame is head + <c>message-id</c> (and <c>ack</c> in the client modes) + tail. The head (command,
    /// destination, subscription) is one per subscription; the tail (content-type, x-offset, x-epoch, content-length,
    /// the JSON body) one per message: a delivery copies both and writes one number.
    /// </summary>
    public static byte[] MessageHead(string destination, string subscriptionId, bool escape) => Build(output =>
    {
        StompFrameWriter.WriteCommand(output, StompCommand.Message);
        StompFrameWriter.WriteHeader(output, StompHeaders.Destination, destination, escape);
        StompFrameWriter.WriteHeader(output, StompHeaders.Subscription, subscriptionId, escape);
    });

    /// <inheritdoc cref="MessageHead"/>
    public static byte[] MessageTail(ChatMessage message, bool escape)
    {
        var tails = Tails.GetValue(message, static m => new MessageTails(JsonSerializer.SerializeToUtf8Bytes(m, ChatJson.Options)));
        ref var tail = ref escape ? ref tails.Escaped : ref tails.Unescaped;
        return tail ??= Build(output =>
        {
            StompFrameWriter.WriteHeader(output, StompHeaders.ContentType, "application/json", escape);
            StompFrameWriter.WriteHeader(output, "x-offset"u8, message.Offset);
            StompFrameWriter.WriteHeader(output, ChatStompProtocol.Epoch, message.Epoch, escape);
            StompFrameWriter.WriteBody(output, tails.Body);
        });
    }

    /// <summary>The most bytes <see cref="WriteMessage"/> writes for this head and tail.</summary>
    public static int MaxMessageLength(byte[] head, byte[] tail) => head.Length + tail.Length + 2 * (MessageIdName.Length + MaxDigits + 1);

    /// <summary>Writes head, message-id (and ack), tail; returns the length.</summary>
    public static int WriteMessage(Span<byte> destination, byte[] head, long messageId, bool withAck, byte[] tail)
    {
        head.CopyTo(destination);
        var written = head.Length;
        written += WriteId(destination[written..], MessageIdName, messageId);
        if (withAck)
        {
            written += WriteId(destination[written..], AckName, messageId);
        }

        tail.CopyTo(destination[written..]);
        return written + tail.Length;
    }

    private const int MaxDigits = 20;

    private static ReadOnlySpan<byte> MessageIdName => "message-id:"u8;

    private static ReadOnlySpan<byte> AckName => "ack:"u8;

    private static int WriteId(Span<byte> destination, ReadOnlySpan<byte> name, long id)
    {
        name.CopyTo(destination);
        Utf8Formatter.TryFormat(id, destination[name.Length..], out var digits);
        destination[name.Length + digits] = (byte)'\n';
        return name.Length + digits + 1;
    }

    private sealed class MessageTails(byte[] body)
    {
        public byte[] Body { get; } = body;

        public byte[]? Escaped;

        public byte[]? Unescaped;
    }

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
