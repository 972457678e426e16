namespace Chat.Contracts;

/// <summary>What a destination means here (the Spring chat demo's names, plus named rooms; DESIGN.md "STOMP").</summary>
public enum StompDestinationKind
{
    /// <summary>SUBSCRIBE target: <c>/topic/public</c> or <c>/topic/room/{room}</c>.</summary>
    Topic,

    /// <summary>SEND target: <c>/app/chat.addUser</c> or <c>/app/room/{room}/chat.addUser</c>.</summary>
    AddUser,

    /// <summary>SEND target: <c>/app/chat.sendMessage</c> or <c>/app/room/{room}/chat.sendMessage</c>.</summary>
    SendMessage,
}

public readonly record struct StompDestination(StompDestinationKind Kind, string Room)
{
    public const string PublicRoom = "public";

    public static bool TryParse(string destination, out StompDestination parsed)
    {
        parsed = default;
        switch (destination)
        {
            case "/topic/public":
                parsed = new(StompDestinationKind.Topic, PublicRoom);
                return true;
            case "/app/chat.addUser":
                parsed = new(StompDestinationKind.AddUser, PublicRoom);
                return true;
            case "/app/chat.sendMessage":
                parsed = new(StompDestinationKind.SendMessage, PublicRoom);
                return true;
        }

        if (destination.StartsWith("/topic/room/", StringComparison.Ordinal))
        {
            return TryRoom(destination["/topic/room/".Length..], StompDestinationKind.Topic, out parsed);
        }

        if (destination.StartsWith("/app/room/", StringComparison.Ordinal))
        {
            var rest = destination["/app/room/".Length..];
            var slash = rest.IndexOf('/');
            if (slash > 0)
            {
                var kind = rest[(slash + 1)..] switch
                {
                    "chat.addUser" => StompDestinationKind.AddUser,
                    "chat.sendMessage" => StompDestinationKind.SendMessage,
                    _ => (StompDestinationKind?)null,
                };
                return kind is not null && TryRoom(rest[..slash], kind.Value, out parsed);
            }
        }

        return false;
    }

    /// <summary>The topic a room's messages are delivered on.</summary>
    public static string TopicOf(string room) => room == PublicRoom ? "/topic/public" : "/topic/room/" + room;

    /// <summary>Where a client announces its user in a room (the Spring demo's JOIN).</summary>
    public static string AddUserOf(string room) => room == PublicRoom ? "/app/chat.addUser" : $"/app/room/{room}/chat.addUser";

    /// <summary>Where a client sends a room's chat messages.</summary>
    public static string SendMessageOf(string room) => room == PublicRoom ? "/app/chat.sendMessage" : $"/app/room/{room}/chat.sendMessage";

    private static bool TryRoom(string room, StompDestinationKind kind, out StompDestination parsed)
    {
        parsed = new(kind, room);
        return room.Length > 0 && !room.Contains('/');
    }
}
