using System.Security.Claims;

namespace Chat.Server.Identity;

/// <summary>Decides which rooms an authenticated user may join and read (Jwt mode). Replace the registration for your own policy.</summary>
public interface IRoomAuthorizer
{
    bool MayJoin(ClaimsPrincipal user, string room);
}
