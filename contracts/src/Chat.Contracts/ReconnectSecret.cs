using System.Buffers.Text;
using System.Security.Cryptography;

namespace Chat.Contracts;

/// <summary>
/// The reconnection secret of anonymous mode: whoever first takes a name holds it with this secret, and a later
/// connection takes the same name only by presenting it. The client may make it up before its first connection; the
/// server makes one for a client that brought none.
/// </summary>
public static class ReconnectSecret
{
    public const int MinLength = 16;
    public const int MaxLength = 128;

    /// <summary>The accepted shape in words, for error messages.</summary>
    public static readonly string Shape = $"{MinLength}-{MaxLength} letters, digits, '-' or '_'";

    /// <summary>A fresh secret: 18 random bytes, base64url (24 characters).</summary>
    public static string New() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(18));

    /// <summary>Whether <paramref name="secret"/> has the accepted <see cref="Shape"/>.</summary>
    public static bool IsWellFormed(string secret) =>
        secret.Length is >= MinLength and <= MaxLength && secret.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
