using Chat.Contracts;
using Chat.Server.Presence;
using Microsoft.AspNetCore.SignalR;

namespace Chat.Server.Hubs;

/// <summary>Sends `presence({room, members})` to the room's SignalR clients on every replica (via the backplane when Redis is on).</summary>
public sealed class SignalRPresenceObserver(IHubContext<ChatHub> hub) : IRoomPresenceObserver
{
    public Task MembersChangedAsync(string room, IReadOnlyList<string> members) =>
        hub.Clients.Group(ChatHub.PresenceGroup(room)).SendAsync(ChatHubProtocol.PresenceEvent, new PresenceUpdate(room, members));
}
