using Chat.Server.Rooms;

namespace Chat.Server.Backplane;

/// <summary>The backplane's store (Redis) cannot be reached; the operation did not happen.</summary>
public sealed class BrokerUnavailableException(string message, Exception? inner = null)
    : ChatException(ChatErrorKinds.BrokerUnavailable, message, inner);
