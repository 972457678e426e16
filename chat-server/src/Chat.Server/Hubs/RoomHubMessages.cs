using System.Runtime.CompilerServices;
using Chat.Contracts;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace Chat.Server.Hubs;

/// <summary>
/// The events a room sends to all its members, each one per replica however many members it has here, and
/// <see cref="SerializedHubMessage"/> serializes once per protocol: the `message` event of a room message (the
/// broker hands every listener the same instance), and the `presence` event after a JOIN or LEAVE (every listener
/// gets the same member list, see <see cref="Presence.RoomMembersReader"/>).
/// </summary>
internal static class RoomHubMessages
{
    private static readonly ConditionalWeakTable<ChatMessage, SerializedHubMessage> Events = new();
    private static readonly ConditionalWeakTable<IReadOnlyList<string>, SerializedHubMessage> PresenceEvents = new();

    public static SerializedHubMessage Of(ChatMessage message) =>
        Events.GetValue(message, static m => new SerializedHubMessage(new InvocationMessage(ChatHubProtocol.MessageEvent, [m])));

    public static SerializedHubMessage PresenceOf(string room, IReadOnlyList<string> members) =>
        PresenceEvents.GetOrAdd(members, static (m, room) => new SerializedHubMessage(new InvocationMessage(ChatHubProtocol.PresenceEvent, [new PresenceUpdate(room, m)])), room);
}
