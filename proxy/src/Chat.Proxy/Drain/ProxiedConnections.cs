using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;

namespace Chat.Proxy.Drain;

/// <summary>The long-lived connections (upgraded WebSockets) this proxy holds open now: what a drain closes.</summary>
public sealed class ProxiedConnections
{
    private readonly ConcurrentDictionary<HttpContext, byte> _open = new();

    public int Count => _open.Count;

    internal void Opened(HttpContext context) => _open.TryAdd(context, 0);

    internal void Closed(HttpContext context) => _open.TryRemove(context, out _);

    public IReadOnlyList<HttpContext> Snapshot() => [.. _open.Keys];
}
