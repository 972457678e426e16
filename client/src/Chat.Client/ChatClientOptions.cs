using System.Net;
using Microsoft.AspNetCore.Http.Connections;

namespace Chat.Client;

/// <summary>How a <see cref="ChatClient"/> connects; checked when the client is created.</summary>
public sealed class ChatClientOptions
{
    /// <summary>The chat server, gateway or ingress, e.g. <c>http://localhost:8080/</c> (a path prefix is kept).</summary>
    public Uri? BaseUrl { get; set; }

    /// <summary>
    /// Called before every connection attempt instead of using <see cref="BaseUrl"/>: to spread reconnects over
    /// several replicas when there is no proxy in front of them.
    /// </summary>
    public Func<Uri>? BaseUrlProvider { get; set; }

    /// <summary>SignalR (default) or STOMP.</summary>
    public ChatProtocol Protocol { get; set; } = ChatProtocol.SignalR;

    /// <summary>The user name the client joins rooms as (bound to the connection by the server).</summary>
    public string User { get; set; } = "";

    /// <summary>
    /// Anonymous servers: the secret that holds <see cref="User"/>'s name while it reconnects. Set it to another
    /// client's <see cref="ChatClient.ReconnectSecret"/> to join under the same name (another tab); otherwise the
    /// client makes one up (18 random bytes) and presents it on every connection, from the first on.
    /// </summary>
    public string? ReconnectSecret { get; set; }

    /// <summary>
    /// Jwt servers: the access token for each connection attempt (SignalR <c>access_token</c>, STOMP CONNECT
    /// <c>Authorization: Bearer</c>); the server takes the name from it. A reconnect after expiry asks again.
    /// </summary>
    public Func<CancellationToken, Task<string?>>? AccessTokenProvider { get; set; }

    /// <summary>A Host header to send instead of the URL's own: an ingress rule's host reached by address.</summary>
    public string? HostHeader { get; set; }

    /// <summary>
    /// The local address to connect from (e.g. one of several 127.0.0.x, so that many connections do not run out
    /// of source ports); null lets the system choose.
    /// </summary>
    public IPAddress? LocalAddress { get; set; }

    /// <summary>SignalR transports to allow. WebSockets only (the default) skips the negotiate request.</summary>
    public HttpTransportType SignalRTransports { get; set; } = HttpTransportType.WebSockets;

    /// <summary>SignalR: negotiate even over WebSockets only (then <see cref="ChatClient.ConnectionId"/> is known).</summary>
    public bool SignalRNegotiate { get; set; }

    /// <summary>STOMP: the heart-beat offered both ways (sent and expected), at least 2 s; zero turns heart-beats off.</summary>
    public TimeSpan StompHeartBeat { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long one connection attempt (connect and join every room) may take.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>STOMP: how long a send waits for the server's RECEIPT before it counts as unconfirmed.</summary>
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The first delay after a failure; doubled after each further failure up to <see cref="MaxReconnectDelay"/>.</summary>
    public TimeSpan MinReconnectDelay { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The longest delay between two connection attempts (before jitter).</summary>
    public TimeSpan MaxReconnectDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting that is wrong.</summary>
    public void Validate()
    {
        if (BaseUrlProvider is null && BaseUrl is null)
        {
            throw new ArgumentException("BaseUrl is required (or a BaseUrlProvider).", nameof(BaseUrl));
        }

        if (BaseUrl is { } url && (!url.IsAbsoluteUri || url.Scheme is not ("http" or "https")))
        {
            throw new ArgumentException($"BaseUrl must be an absolute http or https URL, not '{url}'.", nameof(BaseUrl));
        }

        if (string.IsNullOrWhiteSpace(User))
        {
            throw new ArgumentException("User is required: the name the client joins rooms as.", nameof(User));
        }

        if (!Enum.IsDefined(Protocol))
        {
            throw new ArgumentException($"Protocol {Protocol} is not one of SignalR, Stomp.", nameof(Protocol));
        }

        if (SignalRTransports == HttpTransportType.None)
        {
            throw new ArgumentException("SignalRTransports must allow at least one transport.", nameof(SignalRTransports));
        }

        if (ReconnectSecret is { } secret && !Contracts.ReconnectSecret.IsWellFormed(secret))
        {
            throw new ArgumentException(
                $"ReconnectSecret must be {Contracts.ReconnectSecret.Shape} (the form ChatClient.ReconnectSecret has).",
                nameof(ReconnectSecret));
        }

        Positive(ConnectTimeout, nameof(ConnectTimeout));
        Positive(SendTimeout, nameof(SendTimeout));
        Positive(MinReconnectDelay, nameof(MinReconnectDelay));
        if (MaxReconnectDelay < MinReconnectDelay)
        {
            throw new ArgumentException("MaxReconnectDelay must not be shorter than MinReconnectDelay.", nameof(MaxReconnectDelay));
        }

        // One shared timer ticks every second for all connections: shorter heart-beats could not be kept.
        if (StompHeartBeat != TimeSpan.Zero && (StompHeartBeat < TimeSpan.FromSeconds(2) || StompHeartBeat.TotalMilliseconds > int.MaxValue))
        {
            throw new ArgumentException("StompHeartBeat must be zero (off) or at least 2 seconds.", nameof(StompHeartBeat));
        }
    }

    /// <summary>The URL the next connection attempt goes to, ending with '/' so that endpoint paths append.</summary>
    internal Uri NextBaseUrl()
    {
        var url = BaseUrlProvider?.Invoke() ?? BaseUrl!;
        return url.AbsolutePath.EndsWith('/') ? url : new Uri(url.AbsoluteUri + "/");
    }

    internal ChatClientOptions Clone() => (ChatClientOptions)MemberwiseClone();

    private static void Positive(TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero)
        {
            throw new ArgumentException($"{name} must be positive.", name);
        }
    }
}
