namespace Chat.Stomp;

/// <summary>
/// One STOMP frame: command, headers in wire order (repeated names allowed; the first one counts) and body.
/// </summary>
public sealed class StompFrame(StompCommand command, IReadOnlyList<KeyValuePair<string, string>> headers, ReadOnlyMemory<byte> body)
{
    public StompFrame(StompCommand command, params KeyValuePair<string, string>[] headers)
        : this(command, headers, ReadOnlyMemory<byte>.Empty)
    {
    }

    public StompCommand Command { get; } = command;

    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; } = headers;

    public ReadOnlyMemory<byte> Body { get; } = body;

    /// <summary>The value of the first header with this name (STOMP 1.2: repeated entries after the first are history).</summary>
    public string? this[string name]
    {
        get
        {
            for (var i = 0; i < Headers.Count; i++)
            {
                if (string.Equals(Headers[i].Key, name, StringComparison.Ordinal))
                {
                    return Headers[i].Value;
                }
            }

            return null;
        }
    }

    public override string ToString() => $"{StompCommands.Name(Command)} ({Headers.Count} headers, {Body.Length} bytes)";
}
