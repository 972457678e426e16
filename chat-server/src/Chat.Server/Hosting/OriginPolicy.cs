using Microsoft.Extensions.Options;

namespace Chat.Server.Hosting;

/// <summary>
/// Cross-site WebSocket hijacking guard of /hub/chat and /ws. A browser always sends Origin on a WebSocket and on
/// cross-site requests; it is accepted when it is the server's own origin (Host, or X-Forwarded-Host behind the
/// gateway or the ingress controller: a browser cannot set either on a cross-site request) or is listed in
/// <see cref="ChatOptions.AllowedOrigins"/>. Requests without Origin come from non-browser clients (or same-site reads).
/// </summary>
public sealed class OriginPolicy(IOptions<ChatOptions> options)
{
    public bool IsAllowed(HttpRequest request)
    {
        var origin = request.Headers.Origin.ToString();
        if (string.IsNullOrEmpty(origin))
        {
            return true;
        }

        if (!Uri.TryCreate(origin, UriKind.Absolute, out var originUri))
        {
            return false;
        }

        var allowed = options.Value.AllowedOrigins;
        if (allowed.Contains("*") || allowed.Any(a => Uri.TryCreate(a, UriKind.Absolute, out var uri) && SameOrigin(uri, originUri)))
        {
            return true;
        }

        var authority = originUri.IsDefaultPort ? originUri.Host : $"{originUri.Host}:{originUri.Port}";
        return string.Equals(authority, request.Host.Value, StringComparison.OrdinalIgnoreCase)
            || request.Headers["X-Forwarded-Host"].Any(h => string.Equals(h, authority, StringComparison.OrdinalIgnoreCase));
    }

    private static bool SameOrigin(Uri a, Uri b) =>
        string.Equals(a.Scheme, b.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(a.Host, b.Host, StringComparison.OrdinalIgnoreCase)
        && a.Port == b.Port;
}
