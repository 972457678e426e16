using System.Text.Json.Serialization;

namespace Chat.Contracts;

/// <summary>The Spring chat demo's message types, serialized by name (CHAT, JOIN, LEAVE).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<MessageType>))]
public enum MessageType
{
    CHAT,
    JOIN,
    LEAVE,
}
