using System.Text.Json;
using Chat.Contracts;

namespace Chat.Server.Backplane.Redis;

/// <summary>A message as kept in the stream and published: everything but its room, epoch and offset, which Redis assigns.</summary>
internal sealed record StoredMessage(MessageType Type, string Sender, string? Content, DateTimeOffset SentAt)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string Serialize() => JsonSerializer.Serialize(this, Json);

    public static ChatMessage Parse(string payload, string room, string epoch, long offset)
    {
        var stored = JsonSerializer.Deserialize<StoredMessage>(payload, Json)
            ?? throw new InvalidDataException($"Empty message in room {room} at {offset}");
        return new ChatMessage(stored.Type, stored.Sender, stored.Content, room, offset, epoch, stored.SentAt);
    }
}
