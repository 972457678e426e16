using Chat.Testing;

namespace Chat.Server.Tests.Browser;

/// <summary>
/// redis-server, chat replicas "a" and "b" and the gateway in front of them, where a test stops a replica (drain by
/// SIGTERM, or a crash) and starts it again on the same port, so that its clients are moved to the other one.
/// </summary>
public sealed class MovingCluster : IAsyncDisposable
{
    private readonly Dictionary<string, ServiceProcess> _replicas = [];
    private readonly Dictionary<string, int> _ports = [];
    private readonly GatewayConfigFile _config = new();
    private RedisServer? _redis;

    private MovingCluster()
    {
    }

    public ServiceProcess Gateway { get; private set; } = null!;

    public static async Task<MovingCluster> StartAsync()
    {
        var cluster = new MovingCluster();
        try
        {
            cluster._redis = await RedisServer.StartAsync();
            foreach (var replica in new[] { "a", "b" })
            {
                cluster._ports[replica] = FreePort.Next();
            }

            var started = await Task.WhenAll(cluster._ports.Keys.Select(cluster.StartReplicaAsync));
            foreach (var replica in started)
            {
                cluster._replicas[replica.Id] = replica.Process;
            }

            cluster._config.Write(cluster._ports.ToDictionary(p => p.Key, p => new Uri($"http://127.0.0.1:{p.Value}")));
            cluster.Gateway = await ServiceProcess.StartAsync("gateway", "Chat.Gateway", new Dictionary<string, string?>(OneHostLimits.Gateway)
            {
                ["Gateway:ConfigFile"] = cluster._config.Path,
            });
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Drains (SIGTERM) or kills the replica, waits for it to exit, and starts it again on its port.</summary>
    public async Task StopAndRestartAsync(string replica, bool crash)
    {
        var process = _replicas[replica];
        if (crash)
        {
            process.Process.Kill();
        }
        else
        {
            process.Terminate();
        }

        Assert.True(await process.Process.WaitForExitAsync(TimeSpan.FromSeconds(30)), $"replica {replica} did not stop: {process.Process.Output}");
        await process.DisposeAsync();
        var restarted = await StartReplicaAsync(replica);
        _replicas[replica] = restarted.Process;
        Assert.True(await Eventually.TrueAsync(restarted.Process.IsReadyAsync, TimeSpan.FromSeconds(30)), $"replica {replica} did not become ready again");
    }

    public async ValueTask DisposeAsync()
    {
        if (Gateway is not null)
        {
            await Gateway.DisposeAsync();
        }

        foreach (var replica in _replicas.Values)
        {
            await replica.DisposeAsync();
        }

        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }

        _config.Dispose();
    }

    private async Task<(string Id, ServiceProcess Process)> StartReplicaAsync(string replica)
    {
        var process = await ServiceProcess.StartAsync("chat-server", "Chat.Server", new Dictionary<string, string?>(OneHostLimits.ChatServer)
        {
            ["ConnectionStrings:Redis"] = _redis!.ConnectionString,
            ["Chat:ReplicaId"] = replica,
            ["Chat:PresenceGraceSeconds"] = "1",
            // Moves come from the test's drains and crashes only, and a drain hands its clients over quickly.
            ["Balancing:Rebalance"] = "false",
            ["Balancing:DrainDelay"] = "00:00:00.5",
            ["Balancing:DrainPeriod"] = "00:00:01",
        }, _ports[replica]);
        return (replica, process);
    }
}
