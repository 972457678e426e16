namespace Chat.Server.Identity;

/// <summary>
/// An anonymous connection's hold on a name in a room: <see cref="Key"/> is the name's look-alike key
/// (<see cref="UserName.Key"/>), <see cref="Owner"/> the hash of its reconnection secret and the name as shown.
/// Another connection gets the name only with the same owner.
/// </summary>
public sealed record NameClaim(string Key, string Owner)
{
    public static NameClaim For(UserName name, string secret) => new(name.Key, ReconnectSecrets.Hash(secret) + " " + name.Display);
}
