using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Chat.Proxy.Affinity;

/// <summary>
/// Which destination issued each SignalR connection token (learnt from negotiate responses), so the transport
/// requests that follow (<c>?id=</c>: WebSocket, SSE, long polling) reach the replica that holds the connection.
/// Entries expire after <see cref="ChatProxyOptions.ConnectionTokenLifetime"/> without use.
/// </summary>
public sealed class ConnectionTokenAffinityStore : IDisposable
{
    private readonly MemoryCache _tokens = new(new MemoryCacheOptions { SizeLimit = 1_000_000 });
    private readonly MemoryCacheEntryOptions _entryOptions;

    public ConnectionTokenAffinityStore(IOptions<ChatProxyOptions> options)
    {
        _entryOptions = new MemoryCacheEntryOptions { SlidingExpiration = options.Value.ConnectionTokenLifetime, Size = 1 };
    }

    public void Remember(string clusterId, string token, string destinationId) =>
        _tokens.Set(Key(clusterId, token), destinationId, _entryOptions);

    public string? Find(string clusterId, string token) =>
        _tokens.TryGetValue(Key(clusterId, token), out string? destinationId) ? destinationId : null;

    public void Dispose() => _tokens.Dispose();

    private static string Key(string clusterId, string token) => clusterId + "\n" + token;
}
