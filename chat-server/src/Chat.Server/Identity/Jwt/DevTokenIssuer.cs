using System.Security.Claims;
using System.Security.Cryptography;
using Chat.Server.Rooms;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Chat.Server.Identity.Jwt;

/// <summary>
/// Local runs only (<c>Chat:Auth:Jwt:DevTokens</c>): signs tokens for any name so that the browser client works in
/// Jwt mode without an identity provider. Issuer <see cref="Issuer"/>; key: the first configured signing key, or one
/// made at start-up (then tokens are valid on this replica only).
/// </summary>
public sealed class DevTokenIssuer
{
    public const string Issuer = "chat-dev";

    private readonly JwtAuthOptions _options;

    public DevTokenIssuer(JwtAuthOptions options)
    {
        _options = options;
        Key = new SymmetricSecurityKey(options.SigningKeys.Count > 0 ? Convert.FromBase64String(options.SigningKeys[0]) : RandomNumberGenerator.GetBytes(32))
        {
            KeyId = "chat-dev",
        };
    }

    public SymmetricSecurityKey Key { get; }

    public string Issue(string name, string? rooms, TimeProvider time)
    {
        var user = UserNames.Normalize(name, 64).Display;
        var claims = new Dictionary<string, object> { ["preferred_username"] = user, ["sub"] = "dev:" + user };
        if (!string.IsNullOrWhiteSpace(rooms))
        {
            claims[_options.RoomsClaim] = rooms;
        }

        var now = time.GetUtcNow().UtcDateTime;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = _options.AudiencesOrDefault[0],
            Claims = claims,
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddSeconds(_options.DevTokenLifetimeSeconds),
            SigningCredentials = new SigningCredentials(Key, SecurityAlgorithms.HmacSha256),
        });
    }

    /// <summary>Validates the name as the anonymous mode does, so that dev tokens carry sensible names.</summary>
    public static string? Refusal(string? name)
    {
        try
        {
            UserNames.Normalize(name, 64);
            return null;
        }
        catch (ChatValidationException e)
        {
            return e.Message;
        }
    }
}
