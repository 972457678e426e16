using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Chat.IngressController.Hosting;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Options;

namespace Chat.IngressController.GatewayApi.Proxy;

/// <summary>The Kestrel endpoint of the Gateways' own pod ports, plain or TLS: one endpoint for however many ports are open.</summary>
public sealed class GatewayPortsEndPoint(bool https) : EndPoint
{
    public bool Https { get; } = https;

    public override string ToString() => Https ? "gateway-ports (https)" : "gateway-ports (http)";
}

/// <summary>
/// The listening sockets of the Gateways' own pod ports, opened and closed as Gateways come and go, while Kestrel
/// serves what they accept through a <see cref="GatewayPortsEndPoint"/> per protocol (Kestrel cannot add endpoints
/// once started). Closing a port closes only its listening socket: connections accepted on it, and every other
/// port, keep running.
/// </summary>
public sealed class GatewayPortListeners : IConnectionListenerFactory, IConnectionListenerFactorySelector, IAsyncDisposable
{
    private readonly IPAddress _address;
    private readonly SocketConnectionContextFactory _connections;
    private readonly Channel<ConnectionContext> _http = Channel.CreateUnbounded<ConnectionContext>();
    private readonly Channel<ConnectionContext> _https = Channel.CreateUnbounded<ConnectionContext>();
    private readonly Dictionary<int, (Socket Socket, bool Https)> _open = [];
    private readonly Lock _gate = new();
    private readonly ILogger<GatewayPortListeners> _logger;
    private bool _stopped;

    public GatewayPortListeners(IOptions<IngressControllerOptions> options, ILoggerFactory loggers)
    {
        _address = IPAddress.TryParse(options.Value.BindAddress, out var ip) ? ip : IPAddress.Any;
        _logger = loggers.CreateLogger<GatewayPortListeners>();
        _connections = new SocketConnectionContextFactory(new SocketConnectionFactoryOptions(), loggers.CreateLogger<SocketConnectionContextFactory>());
    }

    /// <summary>Opens the ports newly wanted, closes those no longer wanted; returns the wanted ports that could not be opened, with the error.</summary>
    public IReadOnlyDictionary<int, string> Update(IReadOnlySet<int> http, IReadOnlySet<int> https)
    {
        var failed = new Dictionary<int, string>();
        lock (_gate)
        {
            foreach (var (port, (socket, isHttps)) in _open.ToList())
            {
                if (!(isHttps ? https : http).Contains(port))
                {
                    socket.Dispose();
                    _open.Remove(port);
                    _logger.LogInformation("Gateway port {Port} closed", port);
                }
            }

            if (_stopped)
            {
                return failed;
            }

            foreach (var (port, isHttps) in http.Select(p => (p, false)).Concat(https.Select(p => (p, true))))
            {
                if (_open.ContainsKey(port))
                {
                    continue;
                }

                try
                {
                    var socket = SocketTransportOptions.CreateDefaultBoundListenSocket(new IPEndPoint(_address, port));
                    socket.Listen(512);
                    _open[port] = (socket, isHttps);
                    _ = AcceptAsync(socket, (isHttps ? _https : _http).Writer);
                    _logger.LogInformation("Gateway port {Port} open ({Protocol})", port, isHttps ? "HTTPS" : "HTTP");
                }
                catch (SocketException e)
                {
                    failed[port] = e.Message;
                    _logger.LogWarning("Gateway port {Port} cannot be opened: {Error}", port, e.Message);
                }
            }
        }

        return failed;
    }

    public bool CanBind(EndPoint endpoint) => endpoint is GatewayPortsEndPoint;

    public ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default)
    {
        var gatewayPorts = (GatewayPortsEndPoint)endpoint;
        return ValueTask.FromResult<IConnectionListener>(new Listener(this, gatewayPorts, (gatewayPorts.Https ? _https : _http).Reader));
    }

    public ValueTask DisposeAsync()
    {
        Stop();
        _connections.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Kestrel is stopping: no new connections on any Gateway port.</summary>
    private void Stop()
    {
        lock (_gate)
        {
            _stopped = true;
            foreach (var (socket, _) in _open.Values)
            {
                socket.Dispose();
            }

            _open.Clear();
        }
    }

    private async Task AcceptAsync(Socket listening, ChannelWriter<ConnectionContext> accepted)
    {
        try
        {
            while (true)
            {
                var socket = await listening.AcceptAsync();
                socket.NoDelay = true;
                accepted.TryWrite(_connections.Create(socket));
            }
        }
        catch (Exception e) when (e is ObjectDisposedException or SocketException)
        {
            // The port was closed.
        }
    }

    private sealed class Listener(GatewayPortListeners owner, GatewayPortsEndPoint endpoint, ChannelReader<ConnectionContext> accepted) : IConnectionListener
    {
        private readonly CancellationTokenSource _unbound = new();

        public EndPoint EndPoint => endpoint;

        public async ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _unbound.Token);
            try
            {
                return await accepted.ReadAsync(linked.Token);
            }
            catch (OperationCanceledException)
            {
                return null;
            }
        }

        public ValueTask UnbindAsync(CancellationToken cancellationToken = default)
        {
            owner.Stop();
            _unbound.Cancel();
            return ValueTask.CompletedTask;
        }

        public ValueTask DisposeAsync()
        {
            _unbound.Cancel();
            _unbound.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
