namespace Chat.Contracts;

/// <summary>The `reconnect` event, sent before a server-initiated close (rebalancing or drain).</summary>
public sealed record ReconnectRequest(string Reason);
