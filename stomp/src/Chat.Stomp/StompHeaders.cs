namespace Chat.Stomp;

/// <summary>STOMP 1.2's header names; parsed names equal to one of them reuse the same string.</summary>
public static class StompHeaders
{
    public const string AcceptVersion = "accept-version";
    public const string Host = "host";
    public const string Login = "login";
    public const string Passcode = "passcode";
    public const string HeartBeat = "heart-beat";
    public const string Version = "version";
    public const string Session = "session";
    public const string Server = "server";
    public const string Destination = "destination";
    public const string ContentType = "content-type";
    public const string ContentLength = "content-length";
    public const string Receipt = "receipt";
    public const string ReceiptId = "receipt-id";
    public const string Id = "id";
    public const string Ack = "ack";
    public const string Subscription = "subscription";
    public const string MessageId = "message-id";
    public const string Transaction = "transaction";
    public const string Message = "message";

    private static readonly string[] Known =
    [
        AcceptVersion, Host, Login, Passcode, HeartBeat, Version, Session, Server, Destination, ContentType,
        ContentLength, Receipt, ReceiptId, Id, Ack, Subscription, MessageId, Transaction, Message,
    ];

    /// <summary>Header values clients send all the time (the Spring demo's, stompjs's); parsed equal values reuse them.</summary>
    private static readonly string[] CommonValues =
    [
        "/app/chat.sendMessage", "/app/chat.addUser", "/topic/public", "application/json", "text/plain", "auto", "client",
        "client-individual", "1.2", "1.0,1.1,1.2", "1.2,1.1,1.0", "10000,10000", "0,0",
    ];

    /// <summary>The interned string for these UTF-8 bytes when it is a known header name or a common value, else null.</summary>
    public static string? Lookup(ReadOnlySpan<byte> utf8)
    {
        return Find(Known, utf8) ?? Find(CommonValues, utf8);
    }

    private static string? Find(string[] candidates, ReadOnlySpan<byte> utf8)
    {
        foreach (var candidate in candidates)
        {
            if (candidate.Length == utf8.Length && System.Text.Ascii.Equals(utf8, candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
