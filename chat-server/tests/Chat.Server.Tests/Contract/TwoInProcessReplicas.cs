using Chat.Server.Balancing;
using Chat.Server.Connections;
using Chat.Server.Tests.Support;
using Chat.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Chat.Server.Tests.Contract;

/// <summary>
/// A real redis-server and two chat servers in the test process sharing it, rebalancing off: the test itself hands
/// connections over with the rebalancer's own <see cref="ConnectionHandover"/>, so it can move one client on demand.
/// </summary>
public sealed class TwoInProcessReplicas : IAsyncLifetime
{
    private RedisServer? _redis;

    public InProcessChatServer A { get; private set; } = null!;

    public InProcessChatServer B { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        A = Start("a");
        B = Start("b");
    }

    public async Task DisposeAsync()
    {
        foreach (var server in new[] { A, B })
        {
            if (server is not null)
            {
                await server.DisposeAsync();
            }
        }

        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }
    }

    /// <summary>The other replica, as a proxy would pick it after a hand-over.</summary>
    public InProcessChatServer Other(InProcessChatServer server) => server == A ? B : A;

    /// <summary>Closes the connection with this id the way rebalancing does (SignalR `reconnect` first, STOMP 1012).</summary>
    public async Task MoveAsync(InProcessChatServer server, string connectionId)
    {
        var registry = server.Services.GetRequiredService<ConnectionRegistry>();
        var connection = await WaitForAsync(registry, connectionId);
        await server.Services.GetRequiredService<ConnectionHandover>().CloseAsync([connection], TimeSpan.Zero, "rebalance", CancellationToken.None);
    }

    private static async Task<IClientConnection> WaitForAsync(ConnectionRegistry registry, string connectionId)
    {
        IClientConnection? found = null;
        Assert.True(
            await Eventually.TrueAsync(() => (found = registry.Snapshot().FirstOrDefault(c => c.Id == connectionId)) is not null, TimeSpan.FromSeconds(10)),
            $"connection {connectionId} is not registered");
        return found!;
    }

    private InProcessChatServer Start(string replica) => new(OneHostLimits.With(OneHostLimits.ChatServer, new Dictionary<string, string?>
    {
        ["ConnectionStrings:Redis"] = _redis!.ConnectionString,
        ["Chat:ReplicaId"] = replica,
        ["Balancing:Rebalance"] = "false",
    }));
}
