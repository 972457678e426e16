using Chat.Server.Backplane;
using Chat.Server.Connections;
using Chat.Server.Hosting;
using Chat.Server.Identity;
using Chat.Server.Limits;
using Chat.Server.Observability;
using Chat.Server.Presence;
using Microsoft.Extensions.Options;

namespace Chat.Server.Rooms;

/// <summary>Opens chat sessions over this replica's broker, presence, identity settings and limits.</summary>
public sealed class ChatRooms(
    IRoomBroker broker,
    PresenceTracker presence,
    IPresenceStore presenceStore,
    ChatInput input,
    IOptions<ChatOptions> options,
    IOptions<AuthOptions> auth,
    IRoomAuthorizer authorizer,
    ChatLimits limits,
    ChatMetrics metrics,
    TimeProvider time,
    ILogger<ChatRooms> logger) : IChatRooms
{
    internal IRoomBroker Broker => broker;

    internal PresenceTracker Presence => presence;

    internal IPresenceStore PresenceStore => presenceStore;

    internal ChatInput Input => input;

    internal ChatMetrics Metrics => metrics;

    internal ChatOptions Options { get; } = options.Value;

    internal AuthOptions Auth { get; } = auth.Value;

    internal IRoomAuthorizer Authorizer => authorizer;

    internal ChatLimits Limits => limits;

    internal TimeProvider Time => time;

    internal ILogger Logger => logger;

    public IChatSession Open(IClientConnection connection, ChatCaller caller) => new ChatSession(this, connection, caller);
}
