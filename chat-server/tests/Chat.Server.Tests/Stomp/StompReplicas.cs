using Chat.Testing;

namespace Chat.Server.Tests.Stomp;

/// <summary>
/// A real redis-server and two chat-server processes ("a" and "b") with fast heart-beats and a short presence
/// grace, shared by the STOMP tests that need real processes (conformance, cross-protocol, Chromium).
/// </summary>
public sealed class StompReplicas : IAsyncLifetime
{
    public RedisServer Redis { get; private set; } = null!;

    public ServiceProcess A { get; private set; } = null!;

    public ServiceProcess B { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Redis = await RedisServer.StartAsync();
        var started = await Task.WhenAll(StartAsync("a"), StartAsync("b"));
        (A, B) = (started[0], started[1]);
    }

    public async Task DisposeAsync()
    {
        foreach (var process in new IAsyncDisposable?[] { A, B, Redis })
        {
            if (process is not null)
            {
                await process.DisposeAsync();
            }
        }
    }

    private Task<ServiceProcess> StartAsync(string replica) =>
        ServiceProcess.StartAsync("chat-server", "Chat.Server", new Dictionary<string, string?>
        {
            ["ConnectionStrings:Redis"] = Redis.ConnectionString,
            ["Chat:ReplicaId"] = replica,
            ["Chat:PresenceGraceSeconds"] = "0.3",
            ["Chat:Stomp:HeartBeatSendMilliseconds"] = "200",
            ["Chat:Stomp:HeartBeatReceiveMilliseconds"] = "300",
        });
}

[CollectionDefinition(Name)]
public sealed class StompReplicasCollection : ICollectionFixture<StompReplicas>
{
    public const string Name = "STOMP on two replicas";
}
