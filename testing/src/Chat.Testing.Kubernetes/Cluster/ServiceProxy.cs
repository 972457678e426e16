using System.Net;
using System.Net.Sockets;

namespace Chat.Testing.Kubernetes.Cluster;

/// <summary>
/// kube-proxy for one Service port, in user space: a listener on the Service's virtual IP (or, for type
/// LoadBalancer, on 127.0.0.1 as the load balancer's address) that sends each new TCP connection to a random
/// ready endpoint, or to a serving terminating one when none is ready (ProxyTerminatingEndpoints), and keeps it
/// there for its lifetime (conntrack). Connections to a Service without usable endpoints are refused (reset).
/// </summary>
public sealed class ServiceProxy : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly Func<IReadOnlyList<ServiceEndpoint>> _endpoints;
    private readonly string _portName;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> _open = new(StringComparer.Ordinal);
    private long _connections;

    public ServiceProxy(IPEndPoint listen, string portName, Func<IReadOnlyList<ServiceEndpoint>> endpoints)
    {
        _endpoints = endpoints;
        _portName = portName;
        _listener = new TcpListener(listen);
        _listener.Start(512);
        Address = (IPEndPoint)_listener.LocalEndpoint;
        _accepting = Task.Run(AcceptAsync);
    }

    public IPEndPoint Address { get; }

    public long Connections => Interlocked.Read(ref _connections);

    /// <summary>Connections open now, by the pod they were sent to.</summary>
    public IReadOnlyDictionary<string, int> OpenByEndpoint => _open.Where(o => o.Value > 0).ToDictionary(o => o.Key, o => o.Value, StringComparer.Ordinal);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (Exception)
        {
            // Stopped.
        }
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException)
            {
                continue;
            }

            Interlocked.Increment(ref _connections);
            _ = Task.Run(() => ForwardAsync(client));
        }
    }

    private async Task ForwardAsync(TcpClient client)
    {
        using var _ = client;
        var endpoints = _endpoints().Where(e => e.Ports.ContainsKey(_portName)).ToList();
        var usable = endpoints.Where(e => e.Ready).ToList();
        if (usable.Count == 0)
        {
            usable = endpoints.Where(e => e.Serving && e.Terminating).ToList();
        }

        if (usable.Count == 0)
        {
            client.Client.LingerState = new LingerOption(true, 0);
            return;
        }

        var target = usable[Random.Shared.Next(usable.Count)];
        using var upstream = new TcpClient { NoDelay = true };
        client.NoDelay = true;
        _open.AddOrUpdate(target.Pod, 1, (_, n) => n + 1);
        try
        {
            await upstream.ConnectAsync(IPAddress.Parse(target.Ip), target.Ports[_portName], _stop.Token);
            await using var a = client.GetStream();
            await using var b = upstream.GetStream();
            var up = Pump(a, b, upstream.Client);
            var down = Pump(b, a, client.Client);
            await Task.WhenAny(up, down);
            await Task.WhenAll(up, down).WaitAsync(TimeSpan.FromSeconds(30), _stop.Token);
        }
        catch (Exception)
        {
            // Either side went away; the other is closed with it.
        }
        finally
        {
            _open.AddOrUpdate(target.Pod, 0, (_, n) => n - 1);
        }
    }

    /// <summary>Copies one direction and passes the end on as a half-close, as a TCP proxy does.</summary>
    private async Task Pump(Stream from, Stream to, Socket toSocket)
    {
        try
        {
            await from.CopyToAsync(to, 16 * 1024, _stop.Token);
            toSocket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception)
        {
            toSocket.Close(0);
        }
    }
}
