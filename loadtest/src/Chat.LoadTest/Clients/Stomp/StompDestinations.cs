namespace Chat.LoadTest.Clients.Stomp;

/// <summary>The chat's STOMP destinations (DESIGN.md): room `public` has the Spring demo's names, others a room path.</summary>
public static class StompDestinations
{
    public static string Topic(string room) => room == "public" ? "/topic/public" : $"/topic/room/{room}";

    public static string AddUser(string room) => room == "public" ? "/app/chat.addUser" : $"/app/room/{room}/chat.addUser";

    public static string SendMessage(string room) => room == "public" ? "/app/chat.sendMessage" : $"/app/room/{room}/chat.sendMessage";
}
