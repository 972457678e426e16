using System.Security.Cryptography;
using System.Text;
using Chat.Contracts;
using Chat.Server.Rooms;

namespace Chat.Server.Identity;

/// <summary>
/// The server's side of <see cref="ReconnectSecret"/>: it hands the secret to the connection that first takes a name
/// (Join's result, STOMP's CONNECTED); a later connection may take the same name only with it (the same client resuming
/// after a move). Stores keep its hash only.
/// </summary>
public static class ReconnectSecrets
{
    /// <summary>The secret a client presented, checked; none when it presented none.</summary>
    public static string? Presented(string? secret)
    {
        if (string.IsNullOrEmpty(secret))
        {
            return null;
        }

        if (!ReconnectSecret.IsWellFormed(secret))
        {
            throw new ChatValidationException($"Invalid reconnection secret: send back the one the server gave ({ReconnectSecret.Shape}).");
        }

        return secret;
    }

    public static string Hash(string secret) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(secret)), 0, 16);
}
