using System.Text.Json;

namespace Chat.Contracts;

/// <summary>How the chat's JSON looks on the wire: camelCase names, enums by name (see <see cref="MessageType"/>).</summary>
public static class ChatJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web);
}
