namespace Chat.Stomp;

/// <summary>The commands of STOMP 1.2 (client and server frames).</summary>
public enum StompCommand
{
    Connect,
    Stomp,
    Send,
    Subscribe,
    Unsubscribe,
    Ack,
    Nack,
    Begin,
    Commit,
    Abort,
    Disconnect,
    Connected,
    Message,
    Receipt,
    Error,
}

/// <summary>Wire names of <see cref="StompCommand"/> values, and the reverse lookup over raw bytes.</summary>
public static class StompCommands
{
    private static readonly byte[][] Names =
    [
        "CONNECT"u8.ToArray(), "STOMP"u8.ToArray(), "SEND"u8.ToArray(), "SUBSCRIBE"u8.ToArray(),
        "UNSUBSCRIBE"u8.ToArray(), "ACK"u8.ToArray(), "NACK"u8.ToArray(), "BEGIN"u8.ToArray(),
        "COMMIT"u8.ToArray(), "ABORT"u8.ToArray(), "DISCONNECT"u8.ToArray(), "CONNECTED"u8.ToArray(),
        "MESSAGE"u8.ToArray(), "RECEIPT"u8.ToArray(), "ERROR"u8.ToArray(),
    ];

    /// <summary>The longest command name ("UNSUBSCRIBE"); a longer first line cannot be a command.</summary>
    public const int MaxLength = 11;

    public static ReadOnlySpan<byte> Utf8Name(StompCommand command) => Names[(int)command];

    public static string Name(StompCommand command) => command switch
    {
        StompCommand.Connect => "CONNECT",
        StompCommand.Stomp => "STOMP",
        StompCommand.Send => "SEND",
        StompCommand.Subscribe => "SUBSCRIBE",
        StompCommand.Unsubscribe => "UNSUBSCRIBE",
        StompCommand.Ack => "ACK",
        StompCommand.Nack => "NACK",
        StompCommand.Begin => "BEGIN",
        StompCommand.Commit => "COMMIT",
        StompCommand.Abort => "ABORT",
        StompCommand.Disconnect => "DISCONNECT",
        StompCommand.Connected => "CONNECTED",
        StompCommand.Message => "MESSAGE",
        StompCommand.Receipt => "RECEIPT",
        _ => "ERROR",
    };

    public static bool TryParse(ReadOnlySpan<byte> name, out StompCommand command)
    {
        for (var i = 0; i < Names.Length; i++)
        {
            if (name.SequenceEqual(Names[i]))
            {
                command = (StompCommand)i;
                return true;
            }
        }

        command = default;
        return false;
    }

    /// <summary>CONNECT, STOMP and CONNECTED keep their headers unescaped (STOMP 1.0 compatibility).</summary>
    public static bool EscapesHeaders(StompCommand command) =>
        command is not (StompCommand.Connect or StompCommand.Stomp or StompCommand.Connected);

    /// <summary>Only SEND, MESSAGE and ERROR frames may have a body.</summary>
    public static bool MayHaveBody(StompCommand command) =>
        command is StompCommand.Send or StompCommand.Message or StompCommand.Error;
}
