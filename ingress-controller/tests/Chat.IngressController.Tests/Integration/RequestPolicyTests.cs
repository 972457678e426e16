using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Chat.Testing.Kubernetes.FakeApi;
using Chat.IngressController.Tests.Support;
using Chat.Testing;
using k8s.Models;
using static Chat.IngressController.Tests.Support.Objects;

namespace Chat.IngressController.Tests.Integration;

/// <summary>Annotations that act on requests, through the running proxy: TLS by SNI, ssl-redirect, allow lists, body size.</summary>
[Collection(IntegrationCollection.Name)]
public sealed class RequestPolicyTests
{
    [Fact]
    public async Task Tls_by_sni_ssl_redirect_source_allow_list_and_body_size()
    {
        await using var backend = await EchoBackend.StartAsync("web");
        await using var api = await FakeKubeApiServer.StartAsync();
        using var certificate = SelfSigned("secure.example.com");
        api.Apply(IngressClass());
        api.Apply(Service("web", "web"));
        foreach (var slice in Slices("web", "web", [(backend.Port, true, true, false)]))
        {
            api.Apply(slice);
        }

        api.Apply(new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = "secure-tls", NamespaceProperty = "web" },
            Type = "kubernetes.io/tls",
            Data = new Dictionary<string, byte[]>
            {
                ["tls.crt"] = Encoding.UTF8.GetBytes(certificate.ExportCertificatePem()),
                ["tls.key"] = Encoding.UTF8.GetBytes(certificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem()),
            },
        });
        var secure = Ingress("web", "secure", "web", host: "secure.example.com", annotations: new Dictionary<string, string>
        {
            ["nginx.ingress.kubernetes.io/proxy-body-size"] = "1k",
        });
        secure.Spec.Tls = [new V1IngressTLS { Hosts = ["secure.example.com"], SecretName = "secure-tls" }];
        api.Apply(secure);
        api.Apply(Ingress("web", "private", "web", host: "private.example.com", annotations: new Dictionary<string, string>
        {
            ["nginx.ingress.kubernetes.io/whitelist-source-range"] = "10.0.0.0/8",
        }));
        api.Apply(Ingress("web", "local", "web", host: "local.example.com", annotations: new Dictionary<string, string>
        {
            ["nginx.ingress.kubernetes.io/allowlist-source-range"] = "127.0.0.0/8",
        }));
        await using var controller = await ControllerHost.StartReadyAsync(api);

        X509Certificate? presented = null;
        using var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            SslOptions = { RemoteCertificateValidationCallback = (_, cert, _, _) => { presented = cert; return true; } },
        };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(5) };

        // ssl-redirect (on by default for TLS hosts): plain HTTP gets a 308 to HTTPS.
        using (var redirect = await SendAsync(http, HttpMethod.Get, $"http://127.0.0.1:{controller.HttpPort}/a?b=1", "secure.example.com"))
        {
            Assert.Equal(HttpStatusCode.PermanentRedirect, redirect.StatusCode);
            Assert.Equal($"https://secure.example.com:{controller.HttpsPort}/a?b=1", redirect.Headers.Location!.ToString());
        }

        // HTTPS with SNI gets the Secret's certificate and reaches the backend.
        using var connectToLoopback = new SocketsHttpHandler
        {
            ConnectCallback = async (context, token) =>
            {
                var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
                await socket.ConnectAsync(IPAddress.Loopback, controller.HttpsPort, token);
                return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
            },
            SslOptions = { RemoteCertificateValidationCallback = (_, cert, _, _) => { presented = cert; return true; } },
        };
        using var https = new HttpClient(connectToLoopback) { Timeout = TimeSpan.FromSeconds(5) };
        Assert.Equal("web /x 0", await https.GetStringAsync("https://secure.example.com/x"));
        Assert.Equal(certificate.Thumbprint, new X509Certificate2(presented!).Thumbprint);

        // proxy-body-size 1k: a larger body is refused with 413, a smaller one passes.
        using (var tooLarge = await SendAsync(https, HttpMethod.Post, "https://secure.example.com/upload", null, new string('x', 2048)))
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        }

        Assert.Equal("web /upload 512", await (await SendAsync(https, HttpMethod.Post, "https://secure.example.com/upload", null, new string('x', 512))).Content.ReadAsStringAsync());

        // Source allow lists: loopback is outside 10.0.0.0/8 (403) and inside 127.0.0.0/8.
        using (var denied = await SendAsync(http, HttpMethod.Get, $"http://127.0.0.1:{controller.HttpPort}/", "private.example.com"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        }

        using (var allowed = await SendAsync(http, HttpMethod.Get, $"http://127.0.0.1:{controller.HttpPort}/", "local.example.com"))
        {
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient http, HttpMethod method, string url, string? host, string? body = null)
    {
        var request = new HttpRequestMessage(method, url);
        if (host is not null)
        {
            request.Headers.Host = host;
        }

        if (body is not null)
        {
            request.Content = new StringContent(body);
        }

        return http.SendAsync(request);
    }

    private static X509Certificate2 SelfSigned(string host)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + host, key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(host);
        request.CertificateExtensions.Add(san.Build());
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
    }
}
