using System.Collections.Concurrent;
using Chat.Server.Observability;

namespace Chat.Server.Connections;

/// <summary>The client connections open on this replica, of both protocols; what rebalancing and drain act on.</summary>
public sealed class ConnectionRegistry(ChatMetrics metrics)
{
    private readonly ConcurrentDictionary<string, IClientConnection> _connections = new();

    public int Count => _connections.Count;

    public void Add(IClientConnection connection)
    {
        if (_connections.TryAdd(connection.Id, connection))
        {
            metrics.ConnectionOpened(connection.Protocol);
        }
    }

    public void Remove(IClientConnection connection)
    {
        if (_connections.TryRemove(connection.Id, out _))
        {
            metrics.ConnectionClosed(connection.Protocol);
        }
    }

    /// <summary>A point-in-time copy, newest connections first (the cheapest to move: least history on the client).</summary>
    public IReadOnlyList<IClientConnection> Snapshot() =>
        _connections.Values.OrderByDescending(c => c.ConnectedAt).ToArray();
}
