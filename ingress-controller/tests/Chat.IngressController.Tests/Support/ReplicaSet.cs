using Chat.Testing;

namespace Chat.IngressController.Tests.Support;

/// <summary>Chat server processes on loopback (r1, r2, …), optionally on one Redis; all stopped on dispose.</summary>
public sealed class ReplicaSet : IAsyncDisposable
{
    private readonly RedisServer? _redis;
    private readonly List<ServiceProcess> _replicas = [];

    private ReplicaSet(RedisServer? redis) => _redis = redis;

    public IReadOnlyList<ServiceProcess> All => _replicas;

    public static async Task<ReplicaSet> StartAsync(IEnumerable<string> ids, RedisServer? redis)
    {
        var set = new ReplicaSet(redis);
        try
        {
            await set.AddAsync(ids);
            return set;
        }
        catch
        {
            await set.DisposeAsync();
            throw;
        }
    }

    public async Task AddAsync(IEnumerable<string> ids)
    {
        var starting = ids.Select(id => ServiceProcess.StartAsync("chat-server", "Chat.Server", new Dictionary<string, string?>(OneHostLimits.ChatServer)
        {
            ["Chat:ReplicaId"] = id,
            ["ConnectionStrings:Redis"] = _redis?.ConnectionString,
        })).ToList();
        try
        {
            _replicas.AddRange(await Task.WhenAll(starting));
        }
        catch
        {
            _replicas.AddRange(starting.Where(t => t.IsCompletedSuccessfully).Select(t => t.Result));
            throw;
        }
    }

    public async ValueTask DisposeAsync() => await Task.WhenAll(_replicas.Select(r => r.DisposeAsync().AsTask()));
}
