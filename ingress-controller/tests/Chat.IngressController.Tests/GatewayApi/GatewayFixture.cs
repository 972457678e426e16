using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Chat.IngressController.GatewayApi.Models;
using Chat.Testing.Kubernetes.FakeApi;
using Chat.IngressController.Tests.Support;
using Chat.Testing;
using k8s;
using k8s.Models;

namespace Chat.IngressController.Tests.GatewayApi;

/// <summary>
/// The conformance suite's base, in process: the fake API server, the controller with its real client and proxy,
/// echoing backends as the pods of infra-backend-v1 (two), -v2 and -v3 (gateway-conformance-infra), web-backend
/// (gateway-conformance-web-backend) and app-backend-v1/-v2 (gateway-conformance-app-backend), and the base
/// Gateways same-namespace, all-namespaces, backend-namespaces and same-namespace-with-https-listener. It plays the
/// cloud's load balancer too: every Service of type LoadBalancer without an address gets one (203.0.113.100 on).
/// </summary>
public class GatewayFixture : IAsyncLifetime
{
    public const string Infra = "gateway-conformance-infra";
    public const string WebBackend = "gateway-conformance-web-backend";
    public const string AppBackend = "gateway-conformance-app-backend";
    public const string ClassName = "chat";
    public const string ControllerName = "chat.io/gateway-controller";

    private readonly List<InfraBackend> _backends = [];
    private readonly CancellationTokenSource _stopping = new();
    private Task _loadBalancer = Task.CompletedTask;

    public FakeKubeApiServer Api { get; private set; } = null!;
    public ControllerHost Controller { get; private set; } = null!;
    public GatewayClient Client { get; } = new();

    public async Task InitializeAsync()
    {
        Api = await FakeKubeApiServer.StartAsync();
        var own = Objects.Service(ControllerHost.Namespace, ControllerHost.ServiceName, loadBalancerIp: "203.0.113.10");
        own.Spec.Selector = new Dictionary<string, string> { ["app.kubernetes.io/name"] = "chat-ingress-controller" };
        Api.Apply(own);
        foreach (var (ns, labels) in new[] { (Infra, "infra"), (WebBackend, "backend"), (AppBackend, "backend") })
        {
            Api.Apply(new V1Namespace
            {
                Metadata = new V1ObjectMeta { Name = ns, Labels = new Dictionary<string, string> { ["kubernetes.io/metadata.name"] = ns, ["gateway-conformance"] = labels } },
            });
        }

        foreach (var (service, ns, pods) in new[]
        {
            ("infra-backend-v1", Infra, 2), ("infra-backend-v2", Infra, 1), ("infra-backend-v3", Infra, 1),
            ("web-backend", WebBackend, 1), ("app-backend-v1", AppBackend, 1), ("app-backend-v2", AppBackend, 1),
        })
        {
            var started = new List<InfraBackend>();
            for (var i = 0; i < pods; i++)
            {
                started.Add(await InfraBackend.StartAsync(service, ns));
            }

            _backends.AddRange(started);
            ApplyService(ns, service, started.Select(b => b.Port).ToList());
        }

        Api.Apply(TlsSecret(Infra, "tls-validity-checks-certificate", "example.org", "*.wildcard.org", "second-example.org"));
        Api.Apply(TlsSecret(WebBackend, "certificate", "example.org"));
        Apply(BaseManifests(AllNamespacesHostname));
        _loadBalancer = AssignLoadBalancerAddressesAsync(_stopping.Token);
        var settings = new Dictionary<string, string?>(ControllerSettings) { ["IngressController:DefaultDrainSeconds"] = "1" };
        Controller = await ControllerHost.StartReadyAsync(Api, settings: settings);
        foreach (var gateway in new[] { "same-namespace", "all-namespaces", "backend-namespaces", "same-namespace-with-https-listener" })
        {
            await GatewayConditionAsync(Infra, gateway, Conditions.Programmed, "True");
        }
    }

    /// <summary>Settings of the controller beyond the test defaults.</summary>
    protected virtual IReadOnlyDictionary<string, string?> ControllerSettings { get; } = new Dictionary<string, string?>();

    /// <summary>
    /// The listener hostname of the base Gateway all-namespaces: here a wildcard, so that it and same-namespace are
    /// told apart on the controller's one address; the suite's has none.
    /// </summary>
    protected virtual string? AllNamespacesHostname => "*.all.example.net";

    public virtual async Task DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _loadBalancer;
        Client.Dispose();
        await Controller.DisposeAsync();
        await Api.DisposeAsync();
        await Task.WhenAll(_backends.Select(b => b.DisposeAsync().AsTask()));
    }

    /// <summary>A Service of ports 8080 (targetPort 3000), 8081 (h2c) and 8082 (kubernetes.io/ws), with one ready endpoint per backend port.</summary>
    public void ApplyService(string ns, string name, IReadOnlyList<int> ports, string? clusterIp = null)
    {
        Api.Apply(new V1Service
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
            Spec = new V1ServiceSpec
            {
                ClusterIP = clusterIp,
                Ports =
                [
                    new V1ServicePort { Name = "first-port", Port = 8080, TargetPort = 3000, Protocol = "TCP" },
                    new V1ServicePort { Name = "third-port", Port = 8082, TargetPort = 3000, Protocol = "TCP", AppProtocol = GatewayApiNames.WebSocketProtocol },
                ],
            },
        });
        foreach (var (portName, index) in new[] { ("first-port", 0), ("third-port", 1) })
        {
            // One slice per endpoint: each pod listens on its own loopback port.
            for (var p = 0; p < ports.Count; p++)
            {
                Api.Apply(new V1EndpointSlice
                {
                    Metadata = new V1ObjectMeta
                    {
                        Name = $"{name}-{index}-{p}",
                        NamespaceProperty = ns,
                        Labels = new Dictionary<string, string> { ["kubernetes.io/service-name"] = name },
                    },
                    AddressType = "IPv4",
                    Ports = [new Discoveryv1EndpointPort { Name = portName, Port = ports[p], Protocol = "TCP" }],
                    Endpoints = [new V1Endpoint { Addresses = ["127.0.0.1"], Conditions = new V1EndpointConditions { Ready = true, Serving = true, Terminating = false } }],
                });
            }
        }
    }

    /// <summary>Applies every object of a YAML document set; returns them (for <see cref="Delete"/>).</summary>
    public IReadOnlyList<IKubernetesObject<V1ObjectMeta>> Apply(string yaml)
    {
        var objects = Manifests.Load(yaml);
        foreach (var item in objects)
        {
            Api.Apply(item);
        }

        return objects;
    }

    public void Delete(IEnumerable<IKubernetesObject<V1ObjectMeta>> objects)
    {
        foreach (var item in objects)
        {
            Api.Delete(item);
        }
    }

    public T? Get<T>(string ns, string name)
        where T : GatewayApiObject
    {
        var (group, resource) = typeof(T).Name switch
        {
            nameof(Gateway) => (GatewayApiNames.Group, GatewayApiNames.Gateways),
            nameof(HttpRoute) => (GatewayApiNames.Group, GatewayApiNames.HttpRoutes),
            nameof(GatewayClass) => (GatewayApiNames.Group, GatewayApiNames.GatewayClasses),
            nameof(ConnectionPolicy) => (GatewayApiNames.PolicyGroup, GatewayApiNames.Policies),
            var other => throw new ArgumentException(other),
        };
        return Api.Get<T>(group, resource, string.IsNullOrEmpty(ns) ? null : ns, name);
    }

    /// <summary>A plain request to the controller's HTTP port, or to <paramref name="port"/> (a Gateway's own pod port).</summary>
    public Task<GatewayResponse> HttpAsync(string path, string host = "example.com", IDictionary<string, string>? headers = null, string method = "GET", int? port = null) =>
        Client.SendAsync("http", port ?? Controller.HttpPort, host, path, headers, method);

    /// <summary>
    /// Where a connection to a load balancer address and port lands, as kube-proxy sends it: the target port of
    /// the LoadBalancer Service with that address, on loopback (the controller's pod); null for no such Service.
    /// </summary>
    public int? PodPortOf(string address, int port) =>
        Api.All<V1Service>("", "services")
            .Where(s => s.Status?.LoadBalancer?.Ingress?.Any(i => i.Ip == address) == true)
            .SelectMany(s => s.Spec.Ports ?? [])
            .Where(p => p.Port == port)
            .Select(p => int.TryParse(p.TargetPort?.Value, out var pod) ? pod : (int?)null)
            .FirstOrDefault();

    public Task<GatewayResponse> HttpsAsync(string path, string host) => Client.SendAsync("https", Controller.HttpsPort, host, path);

    /// <summary>Waits until a request gets what <paramref name="expected"/> accepts (configs apply asynchronously); returns the last response.</summary>
    public async Task<GatewayResponse> EventuallyAsync(Func<Task<GatewayResponse>> send, Func<GatewayResponse, bool> expected, string what)
    {
        GatewayResponse? last = null;
        var ok = await Eventually.TrueAsync(async () => expected(last = await send()), TimeSpan.FromSeconds(15), TimeSpan.FromMilliseconds(50));
        Assert.True(ok, $"{what}: last response {(int?)last?.Status} from {last?.Backend ?? "no backend"} (path {last?.Echo?.Path})");
        return last!;
    }

    public Task RoutesToAsync(string path, string backend, string host = "example.com", IDictionary<string, string>? headers = null, string method = "GET", int? port = null) =>
        EventuallyAsync(() => HttpAsync(path, host, headers, method, port), r => r.Status == System.Net.HttpStatusCode.OK && r.Backend == backend,
            $"{method} {host}:{port}{path} to {backend}");

    public Task StatusIsAsync(string path, int status, string host = "example.com", IDictionary<string, string>? headers = null, int? port = null) =>
        EventuallyAsync(() => HttpAsync(path, host, headers, port: port), r => (int)r.Status == status, $"{host}:{port}{path} answers {status}");

    public async Task<V1Condition> RouteConditionAsync(string ns, string route, string gateway, string type, string status, string? reason = null, string gatewayNamespace = Infra)
    {
        V1Condition? found = null;
        var ok = await Eventually.TrueAsync(() =>
        {
            var current = Get<HttpRoute>(ns, route);
            var parent = current?.Status?.Parents?.FirstOrDefault(p => p.ControllerName == ControllerName && p.ParentRef.Name == gateway && p.ParentRef.Namespace == gatewayNamespace);
            found = parent?.Conditions.FirstOrDefault(c => c.Type == type);
            return found is not null && found.Status == status && (reason is null || found.Reason == reason)
                && parent!.Conditions.All(c => c.ObservedGeneration == current!.Generation);
        }, TimeSpan.FromSeconds(15));
        Assert.True(ok, $"HTTPRoute {ns}/{route} parent {gateway}: {type} {status} {reason}; got {found?.Status} {found?.Reason} {found?.Message}");
        return found!;
    }

    public async Task<Gateway> GatewayConditionAsync(string ns, string name, string type, string status, string? reason = null)
    {
        Gateway? gateway = null;
        var ok = await Eventually.TrueAsync(() =>
        {
            gateway = Get<Gateway>(ns, name);
            var condition = gateway?.Status?.Conditions?.FirstOrDefault(c => c.Type == type);
            return condition is not null && condition.Status == status && (reason is null || condition.Reason == reason)
                && gateway!.Status!.Conditions!.All(c => c.ObservedGeneration == gateway.Generation);
        }, TimeSpan.FromSeconds(20));
        Assert.True(ok, $"Gateway {ns}/{name}: {type} {status} {reason}; got {string.Join(", ", gateway?.Status?.Conditions?.Select(c => $"{c.Type}={c.Status}/{c.Reason}") ?? [])}");
        return gateway!;
    }

    /// <summary>Waits until a Gateway's listener has the condition (and the attached route count, when given).</summary>
    public async Task<ListenerStatus> ListenerAsync(string ns, string gateway, string listener, string type, string status, string? reason = null, int? attachedRoutes = null)
    {
        ListenerStatus? found = null;
        var ok = await Eventually.TrueAsync(() =>
        {
            var current = Get<Gateway>(ns, gateway);
            found = current?.Status?.Listeners?.FirstOrDefault(l => l.Name == listener);
            var condition = found?.Conditions.FirstOrDefault(c => c.Type == type);
            return condition is not null && condition.Status == status && (reason is null || condition.Reason == reason)
                && (attachedRoutes is null || found!.AttachedRoutes == attachedRoutes)
                && current!.Status!.Conditions!.All(c => c.ObservedGeneration == current.Generation);
        }, TimeSpan.FromSeconds(15));
        Assert.True(ok, $"Gateway {ns}/{gateway} listener {listener}: {type} {status} {reason} routes {attachedRoutes}; got "
            + $"{string.Join(", ", found?.Conditions.Select(c => $"{c.Type}={c.Status}/{c.Reason}") ?? [])} routes {found?.AttachedRoutes}");
        return found!;
    }

    public static V1Secret TlsSecret(string ns, string name, params string[] hosts)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=" + hosts[0], key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        foreach (var host in hosts)
        {
            san.AddDnsName(host);
        }

        request.CertificateExtensions.Add(san.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        return new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
            Type = "kubernetes.io/tls",
            Data = new Dictionary<string, byte[]>
            {
                ["tls.crt"] = Encoding.UTF8.GetBytes(certificate.ExportCertificatePem()),
                ["tls.key"] = Encoding.UTF8.GetBytes(key.ExportPkcs8PrivateKeyPem()),
            },
        };
    }

    /// <summary>A cloud load balancer's part: an address for every LoadBalancer Service that has none, until the fixture stops.</summary>
    private async Task AssignLoadBalancerAddressesAsync(CancellationToken stopping)
    {
        var next = 100;
        while (!stopping.IsCancellationRequested)
        {
            foreach (var service in Api.All<V1Service>("", "services").Where(s => s.Spec?.Type == "LoadBalancer" && s.Status?.LoadBalancer?.Ingress is not { Count: > 0 }))
            {
                var ingress = new JsonArray(new JsonObject { ["ip"] = $"203.0.113.{next++}" });
                Api.MergePatch("Service", service.Metadata.NamespaceProperty, service.Metadata.Name,
                    new JsonObject { ["status"] = new JsonObject { ["loadBalancer"] = new JsonObject { ["ingress"] = ingress } } });
            }

            try
            {
                await Task.Delay(50, stopping);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    private static string BaseManifests(string? allNamespacesHostname) => ConformanceYaml.All(
        $"""
        apiVersion: gateway.networking.k8s.io/v1
        kind: GatewayClass
        metadata:
          name: {ClassName}
        spec:
          controllerName: {ControllerName}
        """,
        ConformanceYaml.Gateway("same-namespace", "  - {name: http, port: 80, protocol: HTTP, allowedRoutes: {namespaces: {from: Same}}}"),
        ConformanceYaml.Gateway("all-namespaces", "  - {name: http, port: 80, protocol: HTTP, "
            + (allNamespacesHostname is null ? "" : $"hostname: \"{allNamespacesHostname}\", ") + "allowedRoutes: {namespaces: {from: All}}}"),
        ConformanceYaml.Gateway("backend-namespaces", """
              - name: http
                port: 80
                protocol: HTTP
                hostname: "*.backend.example.net"
                allowedRoutes:
                  namespaces:
                    from: Selector
                    selector: {matchLabels: {gateway-conformance: backend}}
            """),
        ConformanceYaml.Gateway("same-namespace-with-https-listener", """
              - name: https
                port: 443
                protocol: HTTPS
                allowedRoutes: {namespaces: {from: Same}}
                tls: {certificateRefs: [{group: "", kind: Secret, name: tls-validity-checks-certificate}]}
              - name: https-with-hostname
                port: 443
                hostname: second-example.org
                protocol: HTTPS
                allowedRoutes: {namespaces: {from: Same}}
                tls: {certificateRefs: [{group: "", kind: Secret, name: tls-validity-checks-certificate}]}
            """));
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class GatewayCollection : ICollectionFixture<GatewayFixture>
{
    public const string Name = "gateway-api";
}

/// <summary>Objects applied for one test, deleted when it ends (also when it fails).</summary>
public sealed class AppliedManifests(GatewayFixture fixture, string yaml) : IDisposable
{
    public IReadOnlyList<IKubernetesObject<V1ObjectMeta>> Objects { get; } = fixture.Apply(yaml);

    public void Dispose() => fixture.Delete(Objects);
}
