using System.Diagnostics.Metrics;
using Chat.Proxy.Balancing;

namespace Chat.Proxy.Observability;

/// <summary>
/// The proxy's instruments; the Prometheus exporter names them gateway_websocket_connections{destination} and
/// gateway_requests_total{destination,kind} (kind = http | websocket) and gateway_refused_total{reason}
/// (rate, per_address, total, internal), and gateway_destination_reported_connections{destination}: the count each
/// destination last reported, which least-connections balancing adds this proxy's recent assignments to.
/// </summary>
public sealed class ChatProxyMetrics : IDisposable
{
    public const string MeterName = "Chat.Proxy";

    private readonly Meter _meter;
    private readonly UpDownCounter<long> _webSockets;
    private readonly Counter<long> _requests;
    private readonly Counter<long> _refused;

    public ChatProxyMetrics(IMeterFactory meterFactory, DestinationLoadTracker loads)
    {
        _meter = meterFactory.Create(MeterName);
        _webSockets = _meter.CreateUpDownCounter<long>("gateway.websocket.connections", description: "WebSockets open through this proxy, by destination");
        _requests = _meter.CreateCounter<long>("gateway.requests", description: "Requests proxied, by destination and kind (http, websocket)");
        _refused = _meter.CreateCounter<long>("gateway.refused", description: "Requests refused before proxying, by reason (rate, per_address, total, internal)");
        _meter.CreateObservableGauge("gateway.destination.reported_connections",
            () => loads.Reports().Select(r => new Measurement<long>(r.Connections, new KeyValuePair<string, object?>("destination", r.Destination))),
            description: "Connections each destination last reported, by destination");
    }

    public void Request(string destination, bool webSocket) =>
        _requests.Add(1, new KeyValuePair<string, object?>("destination", destination), new KeyValuePair<string, object?>("kind", webSocket ? "websocket" : "http"));

    public void WebSocketOpened(string destination) => _webSockets.Add(1, new KeyValuePair<string, object?>("destination", destination));

    public void WebSocketClosed(string destination) => _webSockets.Add(-1, new KeyValuePair<string, object?>("destination", destination));

    public void Refused(string reason) => _refused.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void Dispose() => _meter.Dispose();
}
