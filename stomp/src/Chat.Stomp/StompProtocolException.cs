namespace Chat.Stomp;

/// <summary>What a peer got wrong, for whoever maps it to a reply (an ERROR frame, a metric, a close status).</summary>
public enum StompFault
{
    /// <summary>Not STOMP: unknown command, bad header, bad escape, missing NUL.</summary>
    Malformed,

    /// <summary>A size limit (<see cref="StompFrameLimits"/>) was exceeded.</summary>
    Limit,

    /// <summary>A header or body that must be UTF-8 is not.</summary>
    InvalidUtf8,

    /// <summary>No protocol version in common.</summary>
    UnsupportedVersion,
}

/// <summary>Input that breaks STOMP 1.2 or a limit; nothing of the frame was used.</summary>
public sealed class StompProtocolException(string message, StompFault fault = StompFault.Malformed) : Exception(message)
{
    public StompFault Fault { get; } = fault;
}
