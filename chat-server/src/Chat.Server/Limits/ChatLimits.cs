using System.Net;
using Chat.Server.Rooms;
using Chat.ServiceDefaults.Limits;
using Microsoft.Extensions.Options;

namespace Chat.Server.Limits;

/// <summary>This replica's shared limits: open connections per address and in total, and the per-address buckets.</summary>
public sealed class ChatLimits(IOptions<LimitOptions> options)
{
    private readonly AddressBuckets _messages = new(options.Value.AddressMessagesPerSecond, options.Value.AddressMessageBurst);
    private readonly AddressBuckets _historyReads = new(options.Value.AddressHistoryReadsPerSecond, options.Value.AddressHistoryReadBurst);

    public LimitOptions Options { get; } = options.Value;

    public ConnectionLimiter Connections { get; } = new(
        options.Value.ConnectionsPerAddress, options.Value.MaxConnections, options.Value.AddressConnectsPerSecond, options.Value.AddressConnectBurst);

    /// <summary>One chat message from the address.</summary>
    public void Message(IPAddress? address)
    {
        if (!_messages.TryAcquire(address))
        {
            throw new ChatLimitException(ChatErrorKinds.RateLimit,
                $"Rate limit: at most {Options.AddressMessagesPerSecond:0.##} messages per second from one address (burst {Options.AddressMessageBurst}); nothing was sent.");
        }
    }

    /// <summary>One history read (Join, Resume, SUBSCRIBE) from the address.</summary>
    public void HistoryRead(IPAddress? address)
    {
        if (!_historyReads.TryAcquire(address))
        {
            throw new ChatLimitException(ChatErrorKinds.HistoryRateLimit,
                $"Rate limit: at most {Options.AddressHistoryReadsPerSecond:0.##} history reads (Join, Resume, SUBSCRIBE) per second from one address (burst {Options.AddressHistoryReadBurst}); retry shortly.");
        }
    }

    /// <summary>A SignalR connection's own bucket for its hub calls.</summary>
    public TokenBucket NewInvocationBucket() => new(Options.InvocationsPerSecond, Options.InvocationBurst);
}
