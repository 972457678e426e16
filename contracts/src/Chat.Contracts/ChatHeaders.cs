namespace Chat.Contracts;

/// <summary>HTTP response headers of a chat replica.</summary>
public static class ChatHeaders
{
    /// <summary>On every response: the replica that answered.</summary>
    public const string Replica = "X-Chat-Replica";

    /// <summary>On every response: the replica's open client connections (read by the proxies' readiness probes).</summary>
    public const string Connections = "X-Chat-Connections";
}
