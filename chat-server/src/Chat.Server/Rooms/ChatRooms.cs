using Chat.Server.Backplane;
using Chat.Server.Connections;
using Chat.Server.Hosting;
using Chat.Server.Observability;
using Chat.Server.Presence;
using Microsoft.Extensions.Options;

namespace Chat.Server.Rooms;

/// <summary>Opens chat sessions over this replica's broker and presence.</summary>
public sealed class ChatRooms(
    IRoomBroker broker,
    PresenceTracker presence,
    IPresenceStore presenceStore,
    ChatInput input,
    IOptions<ChatOptions> options,
    ChatMetrics metrics) : IChatRooms
{
    internal IRoomBroker Broker => broker;

    internal PresenceTracker Presence => presence;

    internal IPresenceStore PresenceStore => presenceStore;

    internal ChatInput Input => input;

    internal ChatMetrics Metrics => metrics;

    internal ChatOptions Options { get; } = options.Value;

    public IChatSession Open(IClientConnection connection) => new ChatSession(this, connection);
}
