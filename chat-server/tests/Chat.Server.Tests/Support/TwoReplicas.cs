using Chat.Testing;

namespace Chat.Server.Tests.Support;

/// <summary>A real redis-server and two chat-server processes ("a" and "b") sharing it, as a user would run them.</summary>
public class TwoReplicas : IAsyncLifetime
{
    /// <summary>Long enough for a client to reconnect on a busy machine, short enough to wait for in a test.</summary>
    public static readonly TimeSpan PresenceGrace = TimeSpan.FromSeconds(3);

    public RedisServer Redis { get; private set; } = null!;

    public ServiceProcess A { get; private set; } = null!;

    public ServiceProcess B { get; private set; } = null!;

    /// <summary>Settings of both replicas besides Redis and the replica id.</summary>
    protected virtual IReadOnlyDictionary<string, string?> ReplicaSettings { get; } = new Dictionary<string, string?>
    {
        ["Chat:PresenceGraceSeconds"] = PresenceGrace.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Chat:PresenceTtlSeconds"] = "6",
    };

    public async Task InitializeAsync()
    {
        Redis = await RedisServer.StartAsync();
        var started = await Task.WhenAll(StartReplicaAsync("a"), StartReplicaAsync("b"));
        (A, B) = (started[0], started[1]);
    }

    public async Task DisposeAsync()
    {
        if (A is not null)
        {
            await A.DisposeAsync();
        }

        if (B is not null)
        {
            await B.DisposeAsync();
        }

        if (Redis is not null)
        {
            await Redis.DisposeAsync();
        }
    }

    private Task<ServiceProcess> StartReplicaAsync(string replica) =>
        ServiceProcess.StartAsync("chat-server", "Chat.Server", OneHostLimits.With(OneHostLimits.ChatServer, new Dictionary<string, string?>(ReplicaSettings)
        {
            ["ConnectionStrings:Redis"] = Redis.ConnectionString,
            ["Chat:ReplicaId"] = replica,
        }));
}
