using System.ComponentModel.DataAnnotations;

namespace Chat.Server.Identity;

public enum AuthMode
{
    /// <summary>Clients name themselves; names are unique per room among live connections and look-alikes are refused.</summary>
    Anonymous,

    /// <summary>Clients present a JWT (SignalR <c>access_token</c>, STOMP CONNECT); the name comes from a claim.</summary>
    Jwt,
}

/// <summary>How clients prove who they are (section <c>Chat:Auth</c>, env <c>Chat__Auth__*</c>), validated at start-up.</summary>
public sealed class AuthOptions : IValidatableObject
{
    public const string SectionName = "Chat:Auth";

    public AuthMode Mode { get; set; } = AuthMode.Anonymous;

    public JwtAuthOptions Jwt { get; set; } = new();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Mode != AuthMode.Jwt)
        {
            yield break;
        }

        var jwt = Jwt;
        if (string.IsNullOrWhiteSpace(jwt.Authority) && string.IsNullOrWhiteSpace(jwt.MetadataAddress) && jwt.SigningKeys.Count == 0 && !jwt.DevTokens)
        {
            yield return new ValidationResult($"{SectionName}:Mode is Jwt: set {SectionName}:Jwt:Authority (an OIDC issuer such as a Keycloak realm), MetadataAddress, SigningKeys, or DevTokens for local runs.");
        }

        if (jwt.AudiencesOrDefault.Count == 0 || jwt.AudiencesOrDefault.Any(string.IsNullOrWhiteSpace))
        {
            yield return new ValidationResult($"{SectionName}:Jwt:Audiences must name at least one audience tokens are issued for.");
        }

        if (jwt.SigningKeys.Count > 0 && jwt.Issuers.Count == 0)
        {
            yield return new ValidationResult($"{SectionName}:Jwt:Issuers must name the issuers of tokens signed with SigningKeys.");
        }

        foreach (var key in jwt.SigningKeys)
        {
            if (!IsKey(key))
            {
                yield return new ValidationResult($"{SectionName}:Jwt:SigningKeys: each is a base64 HMAC key of at least 32 bytes.");
            }
        }

        if (jwt.NameClaimsOrDefault.Count == 0)
        {
            yield return new ValidationResult($"{SectionName}:Jwt:NameClaims must name at least one claim (preferred_username, name, sub).");
        }

        if (jwt.ClockSkewSeconds is < 0 or > 600)
        {
            yield return new ValidationResult($"{SectionName}:Jwt:ClockSkewSeconds must be between 0 and 600.");
        }

        if (jwt.DevTokenLifetimeSeconds is < 5 or > 86_400)
        {
            yield return new ValidationResult($"{SectionName}:Jwt:DevTokenLifetimeSeconds must be between 5 and 86400.");
        }
    }

    private static bool IsKey(string key)
    {
        var bytes = new byte[key.Length];
        return Convert.TryFromBase64String(key, bytes, out var length) && length >= 32;
    }
}

/// <summary>The <c>Chat:Auth:Jwt</c> settings.</summary>
public sealed class JwtAuthOptions
{
    /// <summary>OIDC issuer (e.g. <c>https://keycloak.example/realms/chat</c>): its discovery document names the JWKS, keys are rotated from it.</summary>
    public string? Authority { get; set; }

    /// <summary>The discovery document's address when it is not under <see cref="Authority"/>.</summary>
    public string? MetadataAddress { get; set; }

    /// <summary>Fetch the discovery document and keys over HTTPS only. Turn off only for a local issuer.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    // The lists with a default are null until configured: the configuration binder appends configured entries to a
    // list's initial ones, so a configured list would otherwise keep the defaults (DefaultRooms "public" beside "*").

    /// <summary>Audiences a token must be issued for (its <c>aud</c>). Default <c>chat</c>.</summary>
    public List<string>? Audiences { get; set; }

    internal IReadOnlyList<string> AudiencesOrDefault => Audiences ?? ["chat"];

    /// <summary>Accepted issuers besides the authority's own (required with <see cref="SigningKeys"/>).</summary>
    public List<string> Issuers { get; set; } = [];

    /// <summary>Base64 HMAC keys (HS256) for tokens not signed by the authority, e.g. issued by your own backend.</summary>
    public List<string> SigningKeys { get; set; } = [];

    /// <summary>The first of these claims present is the user name; the client's own `user` is ignored.</summary>
    public List<string>? NameClaims { get; set; }

    internal IReadOnlyList<string> NameClaimsOrDefault => NameClaims ?? ["preferred_username", "name", "sub"];

    /// <summary>
    /// Claim listing the rooms a user may join and read: space-separated or an array of room names, <c>prefix-*</c>
    /// or <c>*</c>. Tokens without it get <see cref="DefaultRooms"/>.
    /// </summary>
    public string RoomsClaim { get; set; } = "chat_rooms";

    /// <summary>Rooms of tokens without <see cref="RoomsClaim"/> (same patterns). Default every room.</summary>
    public List<string>? DefaultRooms { get; set; }

    internal IReadOnlyList<string> DefaultRoomsOrDefault => DefaultRooms ?? ["*"];

    /// <summary>Tolerance for clock differences with the issuer, in seconds.</summary>
    public int ClockSkewSeconds { get; set; } = 30;

    /// <summary>
    /// For local runs only: <c>POST /auth/dev-token?name=…</c> hands out tokens for any name, signed with the first
    /// <see cref="SigningKeys"/> entry (or a key made at start-up: one replica only). Never enable it in production.
    /// </summary>
    public bool DevTokens { get; set; }

    public int DevTokenLifetimeSeconds { get; set; } = 900;
}
