using System.Security.Claims;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Chat.Server.Identity;

/// <summary>
/// Rooms from the token's <see cref="JwtAuthOptions.RoomsClaim"/> (space-separated or a JSON array; exact names,
/// <c>prefix-*</c> or <c>*</c>), or <see cref="JwtAuthOptions.DefaultRooms"/> when the token has no such claim.
/// </summary>
public sealed class ClaimRoomAuthorizer(IOptions<AuthOptions> options) : IRoomAuthorizer
{
    private readonly JwtAuthOptions _jwt = options.Value.Jwt;

    public bool MayJoin(ClaimsPrincipal user, string room)
    {
        var claims = user.FindAll(_jwt.RoomsClaim).ToList();
        IEnumerable<string> patterns = claims.Count == 0 ? _jwt.DefaultRoomsOrDefault : claims.SelectMany(c => Split(c.Value));
        return patterns.Any(p => Matches(p, room));
    }

    private static bool Matches(string pattern, string room) =>
        pattern == "*" || (pattern.EndsWith('*') ? room.StartsWith(pattern[..^1], StringComparison.Ordinal) : pattern == room);

    private static IEnumerable<string> Split(string value)
    {
        if (value.StartsWith('['))
        {
            try
            {
                return JsonSerializer.Deserialize<string[]>(value) ?? [];
            }
            catch (JsonException)
            {
                return [];
            }
        }

        return value.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }
}
