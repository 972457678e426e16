using System.Globalization;
using Chat.Testing;

namespace Chat.LoadTest.Targets;

/// <summary>
/// redis-server, N chat replicas and the gateway as child processes on free loopback ports, from the repo's
/// build output. Disposing stops them all; the child-process fixture also kills them when this process exits
/// (Ctrl+C included), so nothing is left behind. Without the gateway, clients go to the replicas in turn.
/// </summary>
public sealed class LocalCluster : ITargetCluster, ILocalClusterControl
{
    private readonly Dictionary<string, LocalReplica> _replicas = [];
    private readonly Lock _lock = new();
    private readonly string _directory;
    private readonly RedisServer _redis;
    private readonly GatewayConfigFile _gatewayConfig;
    private ServiceProcess? _gateway;
    private int _nextEntry;

    private LocalCluster(RedisServer redis, string directory)
    {
        _redis = redis;
        _directory = directory;
        _gatewayConfig = new GatewayConfigFile(System.IO.Path.Combine(directory, "gateway.json"));
    }

    public string Description => $"local: redis-server :{_redis.Port}, {KnownReplicas.Count} chat replicas"
        + (_gateway is null ? " (clients connect to replicas in turn, no gateway)" : $", gateway {_gateway.BaseAddress}");

    public IReadOnlyList<string> KnownReplicas
    {
        get
        {
            lock (_lock)
            {
                return [.. _replicas.Keys];
            }
        }
    }

    public IReadOnlyList<string> RunningReplicas
    {
        get
        {
            lock (_lock)
            {
                return [.. _replicas.Values.Where(r => r.Process is { Process.HasExited: false }).Select(r => r.Id)];
            }
        }
    }

    public ILocalClusterControl Control => this;

    public static async Task<LocalCluster> StartAsync(LocalClusterOptions options, Action<string> log, CancellationToken cancellationToken)
    {
        options.Validate();
        var directory = Directory.CreateTempSubdirectory("chat-loadtest-").FullName;
        // Durable, like the Redis of docker-compose.yml and k8s (a volume): a Redis restart keeps acknowledged messages.
        log("starting redis-server (append-only file)");
        var cluster = new LocalCluster(await RedisServer.StartAsync(durable: true), directory);
        try
        {
            log($"starting {options.Replicas} chat replicas");
            await Task.WhenAll(Enumerable.Range(0, options.Replicas).Select(_ => cluster.AddReplicaAsync(cancellationToken)));
            if (options.Gateway)
            {
                log("starting the gateway");
                await cluster.WriteGatewayConfigAsync();
                cluster._gateway = await ServiceProcess.StartAsync("gateway", "Chat.Gateway", new Dictionary<string, string?>(OneHostLimits.Gateway)
                {
                    ["Gateway:ConfigFile"] = cluster._gatewayConfig.Path,
                });
            }

            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    public Uri Next()
    {
        if (_gateway is not null)
        {
            return _gateway.BaseAddress;
        }

        lock (_lock)
        {
            var replicas = _replicas.Values.OrderBy(r => r.Id, StringComparer.Ordinal).ToArray();
            return new Uri($"http://127.0.0.1:{replicas[_nextEntry++ % replicas.Length].Port}/");
        }
    }

    public long? MemoryBytes(string replica)
    {
        lock (_lock)
        {
            return _replicas.TryGetValue(replica, out var r) && r.Process is { Process.HasExited: false } process
                ? ProcessMemory.ResidentBytes(process.Process.Id)
                : null;
        }
    }

    public async Task<string> AddReplicaAsync(CancellationToken cancellationToken)
    {
        LocalReplica replica;
        lock (_lock)
        {
            var id = "chat-" + (_replicas.Count + 1).ToString(CultureInfo.InvariantCulture);
            replica = new LocalReplica(id, FreePort.Next());
            _replicas[id] = replica;
        }

        await StartReplicaAsync(replica.Id, cancellationToken);
        if (_gateway is not null)
        {
            await WriteGatewayConfigAsync();
        }

        return replica.Id;
    }

    public async Task StartReplicaAsync(string replica, CancellationToken cancellationToken)
    {
        var target = Get(replica);
        if (target.Process is { Process.HasExited: false })
        {
            return;
        }

        if (target.Process is { } exited)
        {
            target.Process = null;
            await exited.DisposeAsync();
        }

        target.Process = await ServiceProcess.StartAsync("chat-server", "Chat.Server", new Dictionary<string, string?>(OneHostLimits.ChatServer)
        {
            ["ConnectionStrings:Redis"] = _redis.ConnectionString,
            ["Chat:ReplicaId"] = target.Id,
        }, target.Port).WaitAsync(cancellationToken);
    }

    public async Task KillReplicaAsync(string replica)
    {
        if (Get(replica).Process is { } process)
        {
            process.Process.Kill();
            await process.Process.WaitForExitAsync(TimeSpan.FromSeconds(10));
        }
    }

    public async Task TerminateReplicaAsync(string replica, CancellationToken cancellationToken)
    {
        if (Get(replica).Process is { } process)
        {
            process.Terminate();
            if (!await process.Process.WaitForExitAsync(TimeSpan.FromSeconds(45)))
            {
                process.Process.Kill();
            }
        }
    }

    public async Task RestartRedisAsync(TimeSpan downtime, CancellationToken cancellationToken)
    {
        await _redis.StopAsync();
        await Task.Delay(downtime, cancellationToken);
        await _redis.StartAgainAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }

        LocalReplica[] replicas;
        lock (_lock)
        {
            replicas = [.. _replicas.Values];
        }

        await Task.WhenAll(replicas.Where(r => r.Process is not null).Select(r => r.Process!.DisposeAsync().AsTask()));
        await _redis.DisposeAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private LocalReplica Get(string replica)
    {
        lock (_lock)
        {
            return _replicas.TryGetValue(replica, out var r) ? r : throw new ArgumentException($"no replica named {replica}");
        }
    }

    private Task WriteGatewayConfigAsync()
    {
        lock (_lock)
        {
            _gatewayConfig.Write(_replicas.Values.ToDictionary(r => r.Id, r => new Uri($"http://127.0.0.1:{r.Port}")));
        }

        return Task.CompletedTask;
    }

    private sealed class LocalReplica(string id, int port)
    {
        public string Id { get; } = id;

        public int Port { get; } = port;

        public ServiceProcess? Process { get; set; }
    }
}
