using Chat.Testing;

namespace Chat.Client.Tests;

/// <summary>
/// Chat replicas r1..rN as processes on loopback, optionally on one redis-server and behind one gateway; all
/// stopped on dispose.
/// </summary>
public sealed class ChatServers : IAsyncDisposable
{
    private readonly Dictionary<string, string?> _settings;

    private ChatServers(RedisServer? redis, IDictionary<string, string?>? settings)
    {
        Redis = redis;
        _settings = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>())
        {
            ["ConnectionStrings:Redis"] = redis?.ConnectionString,
        };
    }

    public RedisServer? Redis { get; }

    public List<ServiceProcess> Replicas { get; } = [];

    public ServiceProcess? Gateway { get; private set; }

    public GatewayConfigFile? GatewayConfig { get; private set; }

    /// <summary>Where clients connect: the gateway when there is one, else the first replica.</summary>
    public Uri Entry => (Gateway ?? Replicas[0]).BaseAddress;

    public static async Task<ChatServers> StartAsync(int replicas, bool redis, bool gateway = false, IDictionary<string, string?>? settings = null)
    {
        var servers = new ChatServers(redis ? await RedisServer.StartAsync() : null, settings);
        try
        {
            servers.Replicas.AddRange(await Task.WhenAll(Enumerable.Range(1, replicas).Select(i =>
                ServiceProcess.StartAsync("chat-server", "Chat.Server", OneHostLimits.With(OneHostLimits.ChatServer, new Dictionary<string, string?>(servers._settings) { ["Chat:ReplicaId"] = $"r{i}" })))));
            if (gateway)
            {
                servers.GatewayConfig = new GatewayConfigFile();
                servers.GatewayConfig.Write(servers.Replicas.Select((r, i) => ($"r{i + 1}", r.BaseAddress)).ToDictionary(d => d.Item1, d => d.BaseAddress));
                servers.Gateway = await ServiceProcess.StartAsync("gateway", "Chat.Gateway", new Dictionary<string, string?>(OneHostLimits.Gateway)
                {
                    ["Gateway:ConfigFile"] = servers.GatewayConfig.Path,
                });
            }

            return servers;
        }
        catch
        {
            await servers.DisposeAsync();
            throw;
        }
    }

    public string Logs(int lines = 30) => string.Join(Environment.NewLine,
        Replicas.Select((r, i) => $"--- r{i + 1}:{Environment.NewLine}" + string.Join(Environment.NewLine, r.Process.Output.Split(Environment.NewLine).TakeLast(lines))));

    public async ValueTask DisposeAsync()
    {
        if (Gateway is not null)
        {
            await Gateway.DisposeAsync();
        }

        await Task.WhenAll(Replicas.Select(r => r.DisposeAsync().AsTask()));
        if (Redis is not null)
        {
            await Redis.DisposeAsync();
        }

        GatewayConfig?.Dispose();
    }
}
