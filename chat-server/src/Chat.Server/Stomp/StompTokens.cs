using Chat.Server.Identity.Jwt;
using Chat.Stomp;

namespace Chat.Server.Stomp;

/// <summary>Jwt mode on /ws: the validator, and the token of the upgrade request if it carried one (non-browser clients).</summary>
public sealed class StompTokens(JwtTokenValidator validator, string? upgradeAuthorization)
{
    public JwtTokenValidator Validator { get; } = validator;

    public string? Upgrade { get; } = JwtTokenValidator.FromHeaders(upgradeAuthorization, null);

    /// <summary>A frame's token: <c>Authorization: Bearer …</c>, else <c>passcode</c>.</summary>
    public string? Of(StompFrame frame) => JwtTokenValidator.FromHeaders(frame["authorization"] ?? frame["Authorization"], frame[StompHeaders.Passcode]);
}
