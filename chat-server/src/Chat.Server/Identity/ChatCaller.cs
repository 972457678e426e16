using System.Net;
using System.Security.Claims;

namespace Chat.Server.Identity;

/// <summary>
/// What an adapter knows about the client of one connection: its address (after trusted proxies), and in Jwt mode the
/// authenticated user and when the token expires (replaced by an in-band refresh).
/// </summary>
public sealed class ChatCaller(IPAddress? address, ClaimsPrincipal? user = null, DateTimeOffset? expiresAt = null)
{
    public IPAddress? Address { get; } = address;

    public ClaimsPrincipal? User { get; internal set; } = user is { Identity.IsAuthenticated: true } ? user : null;

    public DateTimeOffset? ExpiresAt { get; internal set; } = user is { Identity.IsAuthenticated: true } ? expiresAt : null;
}
