using System.Globalization;
using Chat.Contracts;
using Chat.Testing;

namespace Chat.Gateway.Tests.Support;

/// <summary>
/// Real processes on loopback: an optional redis-server, chat replicas r1..rN and gateways in front of them,
/// reading one <see cref="GatewayConfigFile"/>. Everything is stopped on dispose.
/// </summary>
public sealed class ChatCluster : IAsyncDisposable
{
    private readonly List<ServiceProcess> _gateways = [];
    private readonly Dictionary<string, string?> _replicaSettings;

    private ChatCluster(RedisServer? redis, IDictionary<string, string?>? replicaSettings)
    {
        Redis = redis;
        // Every client of these tests comes from loopback: the per-address limits are set for one host.
        _replicaSettings = OneHostLimits.With(OneHostLimits.ChatServer, replicaSettings ?? new Dictionary<string, string?>());
        if (redis is not null)
        {
            _replicaSettings["ConnectionStrings:Redis"] = redis.ConnectionString;
        }
    }

    public RedisServer? Redis { get; }

    public GatewayConfigFile ConfigFile { get; } = new();

    /// <summary>Replicas by id, in start order.</summary>
    public Dictionary<string, ServiceProcess> Replicas { get; } = [];

    public IReadOnlyList<ServiceProcess> Gateways => _gateways;

    public ServiceProcess Gateway => _gateways[0];

    public static async Task<ChatCluster> StartAsync(int replicas, bool redis, int gateways = 1, IDictionary<string, string?>? replicaSettings = null,
        IReadOnlyDictionary<string, string>? clusterMetadata = null)
    {
        var cluster = new ChatCluster(redis ? await RedisServer.StartAsync() : null, replicaSettings);
        try
        {
            await cluster.AddReplicasAsync(replicas);
            cluster.WriteConfig(clusterMetadata: clusterMetadata);
            cluster._gateways.AddRange(await Task.WhenAll(Enumerable.Range(0, gateways).Select(_ =>
                ServiceProcess.StartAsync("gateway", "Chat.Gateway", new Dictionary<string, string?>(OneHostLimits.Gateway)
                {
                    ["Gateway:ConfigFile"] = cluster.ConfigFile.Path,
                }))));

            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts more replicas (not yet in the gateway's configuration).</summary>
    public async Task<IReadOnlyList<string>> AddReplicasAsync(int count)
    {
        var ids = Enumerable.Range(Replicas.Count + 1, count).Select(i => $"r{i}").ToArray();
        var started = await Task.WhenAll(ids.Select(id => ServiceProcess.StartAsync("chat-server", "Chat.Server",
            new Dictionary<string, string?>(_replicaSettings) { ["Chat:ReplicaId"] = id })));
        for (var i = 0; i < ids.Length; i++)
        {
            Replicas[ids[i]] = started[i];
        }

        return ids;
    }

    /// <summary>Starts a replica that exited again, with the same id, settings and address (a crashed process brought back).</summary>
    public async Task StartAgainAsync(string id)
    {
        var exited = Replicas[id];
        await exited.DisposeAsync();
        Replicas[id] = await ServiceProcess.StartAsync("chat-server", "Chat.Server",
            new Dictionary<string, string?>(_replicaSettings) { ["Chat:ReplicaId"] = id }, exited.Port);
    }

    /// <summary>Writes the gateway config file with the given replicas (default: all) as the chat cluster's destinations.</summary>
    public void WriteConfig(IEnumerable<string>? replicaIds = null, IReadOnlyDictionary<string, string>? clusterMetadata = null,
        IReadOnlyDictionary<string, string>? routeMetadata = null, IReadOnlyDictionary<string, Uri>? extraDestinations = null)
    {
        var destinations = (replicaIds ?? Replicas.Keys).ToDictionary(id => id, id => Replicas[id].BaseAddress);
        foreach (var (id, address) in extraDestinations ?? new Dictionary<string, Uri>())
        {
            destinations[id] = address;
        }

        ConfigFile.Write(destinations, clusterMetadata, routeMetadata);
    }

    /// <summary>Each live replica's open connections, as it reports them (X-Chat-Connections).</summary>
    public async Task<Dictionary<string, int>> ConnectionCountsAsync()
    {
        var counts = new Dictionary<string, int>();
        foreach (var (id, replica) in Replicas)
        {
            if (replica.Process.HasExited)
            {
                continue;
            }

            var probe = await replica.GetAsync("/healthz");
            counts[id] = int.Parse(probe.Headers[ChatHeaders.Connections], CultureInfo.InvariantCulture);
        }

        return counts;
    }

    /// <summary>The last output lines of every process, for failure messages.</summary>
    public string Logs(int lines = 30) => string.Join(Environment.NewLine,
        _gateways.Select((g, i) => ($"gateway{i + 1}", g)).Concat(Replicas.Select(r => (r.Key, r.Value)))
            .Select(p => $"--- {p.Item1}:{Environment.NewLine}" + string.Join(Environment.NewLine, p.Item2.Process.Output.Split(Environment.NewLine).TakeLast(lines))));

    public static string Describe(IReadOnlyDictionary<string, int> counts) =>
        string.Join(", ", counts.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key}={c.Value}"));

    public async ValueTask DisposeAsync()
    {
        foreach (var gateway in _gateways)
        {
            await gateway.DisposeAsync();
        }

        await Task.WhenAll(Replicas.Values.Select(r => r.DisposeAsync().AsTask()));
        if (Redis is not null)
        {
            await Redis.DisposeAsync();
        }

        ConfigFile.Dispose();
    }
}
