namespace Chat.Stomp;

/// <summary>The STOMP versions this server speaks, and the negotiation of one (STOMP 1.2 "Protocol Negotiation").</summary>
public static class StompVersion
{
    public const string V10 = "1.0";
    public const string V11 = "1.1";
    public const string V12 = "1.2";

    /// <summary>What an ERROR's `version` header lists when nothing is in common.</summary>
    public const string Supported = "1.0,1.1,1.2";

    /// <summary>WebSocket subprotocols, in the server's order of preference.</summary>
    public static readonly string[] SubProtocols = ["v12.stomp", "v11.stomp", "v10.stomp"];

    /// <summary>The highest version both sides have; a missing accept-version means 1.0 only.</summary>
    public static string Negotiate(string? acceptVersion)
    {
        if (acceptVersion is null)
        {
            return V10;
        }

        string? best = null;
        foreach (var range in acceptVersion.Split(',', StringSplitOptions.TrimEntries))
        {
            if (range is V10 or V11 or V12 && (best is null || string.CompareOrdinal(range, best) > 0))
            {
                best = range;
            }
        }

        return best ?? throw new StompProtocolException(
            $"Supported protocol versions are {Supported.Replace(',', ' ')}", StompFault.UnsupportedVersion);
    }

    /// <summary>The subprotocol to echo: the most preferred one the client offered, or null when it offered none of ours.</summary>
    public static string? ChooseSubProtocol(IList<string> offered)
    {
        foreach (var candidate in SubProtocols)
        {
            if (offered.Contains(candidate, StringComparer.OrdinalIgnoreCase))
            {
                return candidate;
            }
        }

        return null;
    }
}
