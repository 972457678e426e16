namespace Chat.Stomp;

/// <summary>What the parser accepts before it refuses a frame (STOMP 1.2 "Size Limits").</summary>
/// <param name="MaxFrameBytes">A whole frame: command, headers, body and NUL.</param>
/// <param name="MaxHeaders">Header entries in one frame, repeated ones included.</param>
/// <param name="MaxHeaderLineBytes">One header line (name, colon, value) as it is on the wire.</param>
public readonly record struct StompFrameLimits(int MaxFrameBytes, int MaxHeaders, int MaxHeaderLineBytes)
{
    public static StompFrameLimits Default { get; } = new(64 * 1024, 100, 8 * 1024);
}
