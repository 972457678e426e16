using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Chat.IngressController.Tests.GatewayApi;

/// <summary>What a request through the controller got: status, the echoing backend's view (if a backend answered) and the response headers.</summary>
public sealed record GatewayResponse(HttpStatusCode Status, EchoedRequest? Echo, IReadOnlyDictionary<string, string> Headers)
{
    public string? Backend => Echo?.Service;

    public string? Location => Headers.GetValueOrDefault("location");
}

/// <summary>
/// HTTP(S) requests to the controller on loopback for any host name: the URL carries the host (so SNI and Host are
/// that name), the connection always goes to 127.0.0.1. Redirects are not followed; certificates are not checked.
/// </summary>
public sealed class GatewayClient : IDisposable
{
    private readonly HttpClient _http;

    public GatewayClient()
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            PooledConnectionLifetime = TimeSpan.FromSeconds(1),
            SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true },
            ConnectCallback = async (context, ct) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, context.DnsEndPoint.Port), ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        _http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };
    }

    public async Task<GatewayResponse> SendAsync(string scheme, int port, string host, string pathAndQuery, IDictionary<string, string>? headers = null,
        string method = "GET")
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), $"{scheme}://{host}:{port}{pathAndQuery}");
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await _http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        EchoedRequest? echo = null;
        if (response.Content.Headers.ContentType?.MediaType == "application/json" && body.StartsWith('{'))
        {
            echo = JsonSerializer.Deserialize<EchoedRequest>(body, new JsonSerializerOptions(JsonSerializerDefaults.Web));
        }

        var all = response.Headers.Concat(response.Content.Headers)
            .ToDictionary(h => h.Key.ToLowerInvariant(), h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
        return new GatewayResponse(response.StatusCode, echo, all);
    }

    public void Dispose() => _http.Dispose();
}
