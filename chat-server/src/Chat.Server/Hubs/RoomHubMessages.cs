using System.Runtime.CompilerServices;
using Chat.Contracts;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace Chat.Server.Hubs;

/// <summary>
/// The `message` event of a room message, one per message however many members it has on this replica: the broker
/// hands every listener the same instance, and <see cref="SerializedHubMessage"/> serializes once per protocol.
/// </summary>
internal static class RoomHubMessages
{
    private static readonly ConditionalWeakTable<ChatMessage, SerializedHubMessage> Events = new();

    public static SerializedHubMessage Of(ChatMessage message) =>
        Events.GetValue(message, static m => new SerializedHubMessage(new InvocationMessage(ChatHubProtocol.MessageEvent, [m])));
}
