using System.Diagnostics.Metrics;

namespace Chat.Server.Observability;

/// <summary>
/// The chat server's own instruments. The Prometheus exporter turns the dotted names into the contracted ones:
/// chat_connections_active{protocol}, chat_messages_received_total, chat_messages_delivered_total,
/// chat_heartbeats_total, chat_errors_total{kind}, chat_rebalance_closed_total.
/// </summary>
public sealed class ChatMetrics : IDisposable
{
    public const string MeterName = "Chat.Server";

    private readonly Meter _meter;
    private readonly UpDownCounter<long> _connectionsActive;
    private readonly Counter<long> _messagesReceived;
    private readonly Counter<long> _messagesDelivered;
    private readonly Counter<long> _heartbeats;
    private readonly Counter<long> _errors;
    private readonly Counter<long> _rebalanceClosed;

    public ChatMetrics(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(MeterName);
        _connectionsActive = _meter.CreateUpDownCounter<long>("chat.connections.active", description: "Open client connections by protocol");
        _messagesReceived = _meter.CreateCounter<long>("chat.messages.received", description: "Messages accepted from clients");
        _messagesDelivered = _meter.CreateCounter<long>("chat.messages.delivered", description: "Messages written to local subscribers");
        _heartbeats = _meter.CreateCounter<long>("chat.heartbeats", description: "Heart-beats sent or received");
        _errors = _meter.CreateCounter<long>("chat.errors", description: "Errors by kind");
        _rebalanceClosed = _meter.CreateCounter<long>("chat.rebalance.closed", description: "Connections closed to rebalance or drain");

        // Exported from start-up, 0 until the first connection: autoscaler queries see the replica, not "no data".
        foreach (var protocol in Protocols)
        {
            _connectionsActive.Add(0, new KeyValuePair<string, object?>("protocol", protocol));
        }
    }

    /// <summary>The values of the protocol label of chat_connections_active.</summary>
    public static IReadOnlyList<string> Protocols { get; } = ["signalr", "stomp"];

    public void ConnectionOpened(string protocol) => _connectionsActive.Add(1, new KeyValuePair<string, object?>("protocol", protocol));

    public void ConnectionClosed(string protocol) => _connectionsActive.Add(-1, new KeyValuePair<string, object?>("protocol", protocol));

    public void MessageReceived() => _messagesReceived.Add(1);

    public void MessagesDelivered(long count = 1) => _messagesDelivered.Add(count);

    public void Heartbeat() => _heartbeats.Add(1);

    public void Error(string kind) => _errors.Add(1, new KeyValuePair<string, object?>("kind", kind));

    public void RebalanceClosed() => _rebalanceClosed.Add(1);

    public void Dispose() => _meter.Dispose();
}
