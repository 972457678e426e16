using System.Security.Claims;
using Chat.Server.Rooms;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Chat.Server.Identity.Jwt;

/// <summary>
/// Validates a token outside the HTTP pipeline (STOMP CONNECT, in-band refresh) exactly as the JwtBearer handler
/// does for requests: the same parameters, and the authority's current issuer and keys (JWKS, refreshed on rotation).
/// </summary>
public sealed class JwtTokenValidator(IOptionsMonitor<JwtBearerOptions> options)
{
    public async Task<(ClaimsPrincipal User, DateTimeOffset ExpiresAt)> ValidateAsync(string? token, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(token))
        {
            throw new ChatAccessDeniedException("Authentication required: present an access token (SignalR: access_token; STOMP CONNECT: Authorization: Bearer … or passcode).");
        }

        var bearer = options.Get(JwtBearerDefaults.AuthenticationScheme);
        var parameters = bearer.TokenValidationParameters.Clone();
        if (bearer.ConfigurationManager is { } manager)
        {
            try
            {
                var configuration = await manager.GetConfigurationAsync(cancellationToken);
                parameters.ValidIssuers = [.. parameters.ValidIssuers ?? [], configuration.Issuer];
                parameters.IssuerSigningKeys = [.. parameters.IssuerSigningKeys ?? [], .. configuration.SigningKeys];
            }
            catch (Exception e) when (e is InvalidOperationException or IOException or HttpRequestException)
            {
                throw new ChatAccessDeniedException("The token issuer's keys cannot be fetched right now; retry shortly.");
            }
        }

        foreach (var handler in bearer.TokenHandlers)
        {
            var result = await handler.ValidateTokenAsync(token, parameters);
            if (result.IsValid)
            {
                return (new ClaimsPrincipal(result.ClaimsIdentity), new DateTimeOffset(result.SecurityToken.ValidTo, TimeSpan.Zero));
            }

            if (result.Exception is SecurityTokenExpiredException)
            {
                throw new ChatAccessDeniedException("The access token has expired: get a new one.");
            }
        }

        throw new ChatAccessDeniedException("The access token is not valid (signature, issuer, audience or lifetime).");
    }

    /// <summary>The token of a STOMP frame: <c>Authorization: Bearer …</c>, else <c>passcode</c>.</summary>
    public static string? FromHeaders(string? authorization, string? passcode) =>
        authorization is { } value && value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? value["Bearer ".Length..].Trim() : passcode;
}
