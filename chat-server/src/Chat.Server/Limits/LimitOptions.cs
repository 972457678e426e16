using System.ComponentModel.DataAnnotations;
using Chat.ServiceDefaults.Limits;

namespace Chat.Server.Limits;

/// <summary>
/// What one client may take (configuration section <c>Chat:Limits</c>, env <c>Chat__Limits__*</c>), validated at
/// start-up. A limit hit is a clear error for the client and a <c>chat_errors_total{kind}</c> count. "Per address" is
/// per client IP address (IPv6 per /64), behind a trusted proxy the one it forwards (X-Forwarded-For).
/// </summary>
public sealed class LimitOptions : IValidatableObject
{
    public const string SectionName = "Chat:Limits";

    private const string Positive = SectionName + ":{0} must be between {1} and {2}.";

    /// <summary>SignalR hub calls per connection, sustained (token bucket; STOMP's twin is <c>Chat:Stomp:MaxFramesPerSecond</c>).</summary>
    [Range(1, 1_000_000, ErrorMessage = Positive)]
    public double InvocationsPerSecond { get; set; } = 50;

    /// <summary>SignalR hub calls per connection at once above the sustained rate.</summary>
    [Range(1, 1_000_000, ErrorMessage = Positive)]
    public int InvocationBurst { get; set; } = 100;

    /// <summary>Chat messages per client address, sustained, over all its connections and both protocols (reconnecting does not refill it).</summary>
    [Range(1, 1_000_000, ErrorMessage = Positive)]
    public double AddressMessagesPerSecond { get; set; } = 100;

    [Range(1, 1_000_000, ErrorMessage = Positive)]
    public int AddressMessageBurst { get; set; } = 200;

    /// <summary>Rooms one connection may be in at once (SignalR Join, STOMP chat.addUser).</summary>
    [Range(1, 100_000, ErrorMessage = Positive)]
    public int RoomsPerConnection { get; set; } = 100;

    /// <summary>Most messages one history read returns (Join, Resume, SUBSCRIBE with x-since-offset): the latest ones.</summary>
    [Range(1, 1_000_000, ErrorMessage = Positive)]
    public int MaxHistoryMessages { get; set; } = 500;

    /// <summary>History reads (Join, Resume, SUBSCRIBE) per client address, sustained.</summary>
    [Range(0.01, 1_000_000, ErrorMessage = Positive)]
    public double AddressHistoryReadsPerSecond { get; set; } = 10;

    [Range(1, 1_000_000, ErrorMessage = Positive)]
    public int AddressHistoryReadBurst { get; set; } = 100;

    /// <summary>Open client connections (SignalR and STOMP) per client address.</summary>
    [Range(1, 10_000_000, ErrorMessage = Positive)]
    public int ConnectionsPerAddress { get; set; } = 100;

    /// <summary>Open client connections on this replica in total (also Kestrel's upgraded-connection limit).</summary>
    [Range(1, 10_000_000, ErrorMessage = Positive)]
    public int MaxConnections { get; set; } = 20_000;

    /// <summary>New connections (SignalR negotiate or direct WebSocket, STOMP upgrade) per client address, sustained.</summary>
    [Range(0.01, 1_000_000, ErrorMessage = Positive)]
    public double AddressConnectsPerSecond { get; set; } = 10;

    [Range(1, 1_000_000, ErrorMessage = Positive)]
    public int AddressConnectBurst { get; set; } = 50;

    /// <summary>
    /// Proxies (addresses or CIDR networks) whose X-Forwarded-For names the client; requests from others are the
    /// client themselves. Default loopback (a proxy on the same host); in compose or Kubernetes the proxies' network.
    /// </summary>
    [NetworkList]
    public List<string>? TrustedProxies { get; set; } // null until configured: the binder would append to a default list

    internal IReadOnlyList<string> TrustedProxiesOrDefault => TrustedProxies ?? ["127.0.0.0/8", "::1/128"];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (ConnectionsPerAddress > MaxConnections)
        {
            yield return new ValidationResult($"{SectionName}:ConnectionsPerAddress ({ConnectionsPerAddress}) must not exceed MaxConnections ({MaxConnections}).");
        }
    }
}
