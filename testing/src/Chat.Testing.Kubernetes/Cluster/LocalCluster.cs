using System.Net;
using System.Text.Json.Nodes;
using Chat.Testing.Kubernetes.Autoscaling;
using Chat.Testing.Kubernetes.FakeApi;
using Chat.Testing.Kubernetes.Metrics;
using k8s;
using k8s.Models;

namespace Chat.Testing.Kubernetes.Cluster;

/// <summary>
/// A Kubernetes cluster on loopback that runs what a kustomization declares: every object in the fake API
/// server (RBAC enforced for the pods' service accounts), each Deployment's pods as local processes
/// (<see cref="LocalPod"/>), Services with EndpointSlices and a proxy on a virtual IP (type LoadBalancer also on
/// 127.0.0.1), rollouts and scaling (<see cref="DeploymentController"/>), Prometheus's pod scraping, the HPAs of the
/// manifests and those KEDA makes of its ScaledObjects. Disposing stops everything and keeps the pods' logs.
/// </summary>
public sealed class LocalCluster : IAsyncDisposable
{
    private readonly LocalClusterOptions _options;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = [];
    private readonly List<ServiceProxy> _proxies = [];
    private readonly Dictionary<(string Ns, string Name, string Port), ServiceProxy> _loadBalancers = [];
    private readonly Dictionary<string, LocalDeployment> _deployments = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Ns, string Name), V1Service> _services = [];
    private readonly Dictionary<(string Ns, string Name), string> _serviceIps = [];
    private readonly Dictionary<(string Ns, string Account), string> _kubeconfigs = [];
    private readonly List<LocalPod> _everyPod = [];
    private readonly string _work;
    private EndpointSliceController _endpoints = null!;
    private DeploymentController _controller = null!;
    private PodRuntime _runtime = null!;

    private LocalCluster(LocalClusterOptions options, RenderedManifests manifests, FakeKubeApiServer api)
    {
        _options = options;
        Manifests = manifests;
        Api = api;
        _work = Directory.CreateTempSubdirectory("chat-cluster-").FullName;
        Events.Added += e => options.Log?.Invoke(e.ToString());
    }

    public RenderedManifests Manifests { get; }

    public FakeKubeApiServer Api { get; }

    public ClusterEvents Events { get; } = new();

    public PodNetwork Network { get; } = new();

    /// <summary>What the harness's Prometheus scraped.</summary>
    public SeriesStore Prometheus { get; } = new();

    public HorizontalPodAutoscalerController Autoscalers { get; private set; } = null!;

    public KedaOperator Keda { get; private set; } = null!;

    public IReadOnlyCollection<LocalDeployment> Deployments => _deployments.Values;

    public IReadOnlyList<LocalPod> Pods => _deployments.Values.SelectMany(d => d.Pods).ToList();

    public LocalDeployment Deployment(string name) => _deployments[name];

    public static async Task<LocalCluster> StartAsync(LocalClusterOptions options)
    {
        var manifests = await RenderedManifests.RenderAsync(options.Kustomization);
        var api = await FakeKubeApiServer.StartAsync();
        var cluster = new LocalCluster(options, manifests, api);
        try
        {
            cluster.Start();
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }

        return cluster;
    }

    /// <summary>Where clients reach a Service of type LoadBalancer (its load balancer's address) or NodePort (the node port on the host), by Service and port name.</summary>
    public Uri LoadBalancer(string service, string port = "http")
    {
        var entry = _loadBalancers.Single(l => l.Key.Name == service && l.Key.Port == port).Value;
        return new Uri($"http://{entry.Address}/");
    }

    /// <summary>Connections open through a Service's load balancer (or node port) now, by the pod they go to.</summary>
    public IReadOnlyDictionary<string, int> LoadBalancerConnections(string service, string port = "http") =>
        _loadBalancers.Single(l => l.Key.Name == service && l.Key.Port == port).Value.OpenByEndpoint;

    /// <summary>The endpoints of a Service as its EndpointSlices show them now.</summary>
    public IReadOnlyList<ServiceEndpoint> Endpoints(string service) => _endpoints.Endpoints(_services.Single(s => s.Key.Name == service).Value);

    public async Task<bool> WaitForRolloutAsync(string deployment, TimeSpan timeout) =>
        await Eventually.TrueAsync(() => Deployment(deployment).RolledOut && Deployment(deployment).Pods.All(p => !p.Terminating), timeout, TimeSpan.FromMilliseconds(250));

    /// <summary>Requests the pods' service accounts made that their RBAC did not allow.</summary>
    public IReadOnlyList<ApiRequest> Denied => Api.Requests.Where(r => !r.Allowed).ToList();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        foreach (var loop in _loops)
        {
            try
            {
                await loop.WaitAsync(TimeSpan.FromSeconds(10));
            }
            catch (Exception)
            {
                // Stopping.
            }
        }

        // Stop fast: SIGKILL every pod still there (graceful deletion is for the scenarios, not for clean-up).
        var pods = Pods;
        foreach (var pod in pods)
        {
            pod.Template.Spec.TerminationGracePeriodSeconds = 0;
            if (pod.Template.Spec.Containers[0].Lifecycle is { } lifecycle)
            {
                lifecycle.PreStop = null;
            }
        }

        await Task.WhenAll(pods.Select(p => p.DeleteAsync("cluster stopping").WaitAsync(TimeSpan.FromSeconds(20)))).ContinueWith(_ => { });
        foreach (var proxy in _proxies)
        {
            await proxy.DisposeAsync();
        }

        if (_options.ArtifactsDirectory is { } artifacts)
        {
            Directory.CreateDirectory(artifacts);
            foreach (var old in Directory.GetFiles(artifacts, "*.log"))
            {
                File.Delete(old);
            }

            await File.WriteAllLinesAsync(Path.Combine(artifacts, "events.log"), Events.All.Select(e => e.ToString()));
            await File.WriteAllLinesAsync(Path.Combine(artifacts, "autoscalers.log"),
                Autoscalers?.Decisions.Select(d => $"{d.At:HH:mm:ss} {d.Autoscaler} {d.Current} [{string.Join(", ", d.Proposals)}] → {d.Desired} ({d.Reason})") ?? []);
            List<LocalPod> every;
            lock (_everyPod)
            {
                every = [.. _everyPod];
            }

            foreach (var pod in every)
            {
                await File.WriteAllTextAsync(Path.Combine(artifacts, pod.Name + ".log"), pod.Logs);
            }
        }

        await Api.DisposeAsync();
        try
        {
            Directory.Delete(_work, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private void Start()
    {
        var objects = Manifests.Objects;
        var rbac = new RbacAuthorizer(objects);
        Api.Authorize(rbac.Allows);
        _runtime = new PodRuntime(Api, Network, new ServiceDns(ServiceAddress), Events, _work,
            (ns, name) => Api.Get<V1ConfigMap>("", "configmaps", ns, name),
            (ns, name) => Api.Get<V1Secret>("", "secrets", ns, name),
            Kubeconfig);

        foreach (var item in objects)
        {
            if (item is V1Service service)
            {
                AddService(service);
            }
            else if (item is IKubernetesObject<V1ObjectMeta> stored)
            {
                Api.ApplyJson(JsonNode.Parse(KubernetesJson.Serialize(stored))!.AsObject());
            }

            if (item is V1Deployment deployment)
            {
                var image = ContainerImage.For(deployment.Spec.Template.Spec.Containers[0].Image);
                _deployments[deployment.Metadata.Name] = new LocalDeployment(deployment, Events) { NotRun = image.NotRun };
                if (image.NotRun is { } reason)
                {
                    Events.Add("NotRun", deployment.Metadata.Name, reason);
                }
            }
        }

        _endpoints = new EndpointSliceController(Api, () => Pods);
        _controller = new DeploymentController(d =>
        {
            var pod = new LocalPod(_runtime, d.Namespace, d.Name, _controller.PodName(d), d.Revision, d.Template);
            lock (_everyPod)
            {
                _everyPod.Add(pod);
            }

            return pod;
        }, Events);
        _loops.Add(Task.Run(ControllersAsync));

        // Prometheus: the scrape job of its ConfigMap, scraping the pods it would discover.
        var prometheus = _deployments.Values.FirstOrDefault(d => d.Spec.Spec.Template.Spec.Containers[0].Image.Contains("prometheus", StringComparison.Ordinal));
        var configName = prometheus?.Spec.Spec.Template.Spec.Volumes?.FirstOrDefault(v => v.ConfigMap is not null)?.ConfigMap.Name;
        var config = configName is null ? null : Api.Get<V1ConfigMap>("", "configmaps", prometheus!.Namespace, configName)?.Data?.Values.FirstOrDefault();
        if (config is not null)
        {
            var scrape = ScrapeConfig.FromPrometheusYaml(config);
            var scraper = new PodScraper(scrape, prometheus!.Namespace, Prometheus, ScrapePods,
                (ip, port) => Network.Resolve(ip, port) is { } ep ? new Uri($"http://{ep}/") : null);
            _loops.Add(Task.Run(() => Loop(scraper.RunAsync)));
        }

        Keda = new KedaOperator(Prometheus, Target);
        Autoscalers = new HorizontalPodAutoscalerController(Target, Keda, _options.HpaSyncPeriod);
        foreach (var hpa in objects.OfType<V2HorizontalPodAutoscaler>())
        {
            Autoscalers.Add(hpa);
        }

        foreach (var scaled in objects.OfType<KedaScaledObject>())
        {
            var hpa = Keda.Adopt(scaled);
            Api.ApplyJson(JsonNode.Parse(KubernetesJson.Serialize(hpa))!.AsObject());
            Autoscalers.Add(hpa);
            _loops.Add(Task.Run(() => Loop(stop => Keda.RunAsync(scaled, stop))));
        }

        _loops.Add(Task.Run(() => Loop(Autoscalers.RunAsync)));
        _loops.Add(Task.Run(CpuSamplingAsync));
    }

    private IScaleTarget? Target(string ns, string name) =>
        _deployments.TryGetValue(name, out var d) && d.Namespace == ns ? d : null;

    private void AddService(V1Service service)
    {
        var ns = service.Metadata.NamespaceProperty;
        var ip = Network.AllocateServiceIp();
        _serviceIps[(ns, service.Metadata.Name)] = ip;
        _services[(ns, service.Metadata.Name)] = service;
        service.Spec.ClusterIP = ip;
        service.Spec.ClusterIPs = [ip];
        foreach (var port in service.Spec.Ports ?? [])
        {
            var name = port.Name ?? "";
            var hostPort = Network.HostPort($"service/{ns}/{service.Metadata.Name}", port.Port);
            _proxies.Add(new ServiceProxy(new IPEndPoint(IPAddress.Parse(ip), hostPort), name, () => Endpoints(service.Metadata.Name)));
            if (service.Spec.Type is "LoadBalancer" or "NodePort")
            {
                // The load balancer's address, or for a NodePort Service the node port on the host (kind's port mapping).
                var lb = new ServiceProxy(new IPEndPoint(IPAddress.Loopback, 0), name, () => Endpoints(service.Metadata.Name));
                _proxies.Add(lb);
                _loadBalancers[(ns, service.Metadata.Name, name)] = lb;
            }
        }

        if (service.Spec.Type == "LoadBalancer")
        {
            service.Status = new V1ServiceStatus { LoadBalancer = new V1LoadBalancerStatus { Ingress = [new V1LoadBalancerIngress { Ip = "127.0.0.1" }] } };
        }

        Api.Apply(service);
    }

    /// <summary>Service DNS: where "name:port" of a Service in a namespace is reachable (virtual IP and proxy port).</summary>
    private string? ServiceAddress(string ns, string name, int port) =>
        _services.TryGetValue((ns, name), out var service) && service.Spec.Ports?.Any(p => p.Port == port) == true
            ? $"{_serviceIps[(ns, name)]}:{Network.HostPort($"service/{ns}/{name}", port)}"
            : null;

    private string Kubeconfig(string ns, string account)
    {
        lock (_kubeconfigs)
        {
            if (!_kubeconfigs.TryGetValue((ns, account), out var path))
            {
                var token = $"{ns}-{account}-{Guid.NewGuid():N}";
                Api.Tokens[token] = RbacAuthorizer.ServiceAccountUser(ns, account);
                _kubeconfigs[(ns, account)] = path = KubeconfigFile.Write(_work, Api.Url, ns, account, token);
            }

            return path;
        }
    }

    private IReadOnlyList<ScrapePod> ScrapePods() =>
        Pods.Where(p => p.Running).Select(p => new ScrapePod(p.Namespace, p.Name, p.Ip, "Running",
            (IReadOnlyDictionary<string, string>?)(p.Template.Metadata?.Labels as IReadOnlyDictionary<string, string>) ?? new Dictionary<string, string>(),
            (IReadOnlyDictionary<string, string>?)(p.Template.Metadata?.Annotations as IReadOnlyDictionary<string, string>) ?? new Dictionary<string, string>(),
            (p.Container.Ports ?? []).Select(port => (p.Container.Name, (string?)port.Name, port.ContainerPort)).ToList())).ToList();

    private async Task ControllersAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                foreach (var deployment in _deployments.Values)
                {
                    _controller.Reconcile(deployment);
                }

                _endpoints.Reconcile(_services.Values);
            }
            catch (Exception e)
            {
                Events.Add("Error", "controllers", e.ToString());
            }

            try
            {
                await Task.Delay(_options.ControllerPeriod, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task CpuSamplingAsync()
    {
        using var timer = new PeriodicTimer(_options.CpuSamplePeriod);
        try
        {
            do
            {
                foreach (var pod in Pods)
                {
                    pod.Cpu?.Sample(DateTimeOffset.UtcNow);
                }
            }
            while (await timer.WaitForNextTickAsync(_stop.Token));
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task Loop(Func<CancellationToken, Task> run)
    {
        try
        {
            await run(_stop.Token);
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            Events.Add("Error", "loop", e.ToString());
        }
    }
}
