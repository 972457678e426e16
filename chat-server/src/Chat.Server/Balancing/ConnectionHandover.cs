using Chat.Server.Connections;
using Chat.Server.Observability;

namespace Chat.Server.Balancing;

/// <summary>
/// Closes connections so that their clients reconnect elsewhere (SignalR `reconnect` first, STOMP close 1012),
/// spread evenly over a period so the reconnects do not arrive at once. Used by rebalancing and drain.
/// </summary>
public sealed class ConnectionHandover(ChatMetrics metrics, TimeProvider time, ILogger<ConnectionHandover> logger)
{
    public async Task CloseAsync(IReadOnlyList<IClientConnection> connections, TimeSpan period, string reason, CancellationToken cancellationToken)
    {
        if (connections.Count == 0)
        {
            return;
        }

        var gap = connections.Count > 1 ? period / connections.Count : TimeSpan.Zero;
        var closing = new List<Task>(connections.Count);
        foreach (var connection in connections)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                break;
            }

            closing.Add(CloseOneAsync(connection, reason, cancellationToken));
            if (gap > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(gap, time, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }

        await Task.WhenAll(closing);
    }

    private async Task CloseOneAsync(IClientConnection connection, string reason, CancellationToken cancellationToken)
    {
        try
        {
            metrics.RebalanceClosed();
            await connection.CloseForRebalanceAsync(reason, cancellationToken);
        }
        catch (Exception e)
        {
            logger.LogDebug(e, "Closing {Id} for {Reason} failed; it is gone already", connection.Id, reason);
        }
    }
}
