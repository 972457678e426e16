using System.Globalization;
using System.Text.Json.Nodes;
using Chat.Testing.Kubernetes.Autoscaling;
using k8s;
using k8s.Models;

namespace Chat.Testing.Kubernetes.Cluster;

/// <summary>
/// One pod as the kubelet runs it, its containers as local processes: created in the API server, given its own
/// address, its containers started with their env and args, the startup probe gating the readiness and liveness
/// probes (period, timeout, thresholds as declared), Ready reported in the Pod's status; a liveness failure or a
/// crash restarts the container (crash back-off 10 s doubling). Deletion sets deletionTimestamp (the endpoint
/// turns terminating), runs preStop (sleep or httpGet), sends SIGTERM, and SIGKILLs what is left when
/// terminationGracePeriodSeconds (counted from the deletion) is up; then the Pod is removed from the API.
/// </summary>
public sealed class LocalPod
{
    private readonly PodRuntime _runtime;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _gone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Dictionary<string, string> _volumes = new(StringComparer.Ordinal);
    private readonly List<string> _output = [];
    private ChildProcess? _process;
    private ContainerContext? _context;
    private volatile bool _ready;
    private volatile bool _started;
    private volatile bool _terminating;
    private Task _run = Task.CompletedTask;

    public LocalPod(PodRuntime runtime, string ns, string owner, string name, string revision, V1PodTemplateSpec template)
    {
        _runtime = runtime;
        Namespace = ns;
        Owner = owner;
        Name = name;
        Revision = revision;
        Template = template;
        Uid = Guid.NewGuid().ToString();
        Ip = runtime.Network.AllocatePodIp();
        runtime.Network.Register(Ip, owner);
        Container = template.Spec.Containers[0];
        Image = ContainerImage.For(Container.Image);
        Directory = Path.Combine(runtime.WorkDirectory, name);
        System.IO.Directory.CreateDirectory(Directory);
    }

    public string Namespace { get; }

    /// <summary>The Deployment the pod belongs to.</summary>
    public string Owner { get; }

    public string Name { get; }

    public string Uid { get; }

    /// <summary>The pod-template-hash: which revision of the Deployment's template it runs.</summary>
    public string Revision { get; }

    public V1PodTemplateSpec Template { get; }

    public V1Container Container { get; }

    public ContainerImage Image { get; }

    public string Ip { get; }

    public string Directory { get; }

    public DateTimeOffset CreatedAt { get; } = DateTimeOffset.UtcNow;

    public DateTimeOffset? StartedAt { get; private set; }

    /// <summary>When the Ready condition last changed.</summary>
    public DateTimeOffset? ReadySince { get; private set; }

    public bool Running => _process is { HasExited: false };

    public bool Started => _started;

    public bool Ready => _ready;

    public bool Terminating => _terminating;

    public DateTimeOffset? DeletedAt { get; private set; }

    public bool Gone => _gone.Task.IsCompleted;

    public Task Exited => _gone.Task;

    public int Restarts { get; private set; }

    public CpuUsage? Cpu { get; private set; }

    public IReadOnlyList<string> StartupWarnings { get; private set; } = [];

    /// <summary>Every line the pod's containers wrote, across restarts (the last ones of the current process included).</summary>
    public string Logs
    {
        get
        {
            lock (_output)
            {
                return string.Join('\n', Gone ? _output : _output.Append(_process?.TimedOutput ?? ""));
            }
        }
    }

    public int HostPort(int containerPort) => _runtime.Network.HostPort(Owner, containerPort);

    /// <summary>The pod-deletion-cost annotation as it is in the API server now (what the ReplicaSet controller reads).</summary>
    public int DeletionCost =>
        _runtime.Api.GetJson("Pod", Namespace, Name)?["metadata"]?["annotations"]?["controller.kubernetes.io/pod-deletion-cost"]?.ToString() is { } text
        && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var cost) ? cost : 0;

    public void Start()
    {
        _runtime.Api.ApplyJson(ApiObject());
        _runtime.Events.Add("Created", Name, $"{Ip} revision {Revision}");
        _run = Task.Run(() => RunAsync(_stop.Token));
    }

    /// <summary>Deletes the pod gracefully; completes when it is gone.</summary>
    public Task DeleteAsync(string why)
    {
        lock (_stop)
        {
            if (!_terminating)
            {
                _terminating = true;
                DeletedAt = DateTimeOffset.UtcNow;
                _ = Task.Run(() => TerminateAsync(why));
            }
        }

        return _gone.Task;
    }

    private async Task RunAsync(CancellationToken stop)
    {
        var backoff = TimeSpan.FromSeconds(10);
        while (!stop.IsCancellationRequested && !_terminating)
        {
            try
            {
                StartContainer();
            }
            catch (Exception e) when (e is InvalidOperationException or NotSupportedException or System.ComponentModel.Win32Exception)
            {
                _runtime.Events.Add("Failed", Name, e.Message);
                await DelayAsync(backoff, stop);
                continue;
            }

            var outcome = await WatchContainerAsync(stop);
            if (stop.IsCancellationRequested || _terminating)
            {
                return;
            }

            SetReady(false);
            _started = false;
            lock (_output)
            {
                _output.Add(_process?.TimedOutput ?? "");
            }

            if (outcome == "liveness")
            {
                _process?.Kill();
                _runtime.Events.Add("Killing", Name, "liveness probe failed: restarting the container");
            }
            else
            {
                _runtime.Events.Add("BackOff", Name, $"container exited ({_process?.ExitCode}); restarting in {backoff.TotalSeconds:0} s");
                await DelayAsync(backoff, stop);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromMinutes(5).Ticks));
            }

            Restarts++;
            PatchStatus();
        }
    }

    private void StartContainer()
    {
        var fields = new PodFields(Name, Namespace, Uid, Ip, "local", Template.Spec.ServiceAccountName,
            Template.Metadata?.Labels ?? new Dictionary<string, string>(), Template.Metadata?.Annotations ?? new Dictionary<string, string>());
        var env = PodEnvironment.Resolve(Container, fields, n => _runtime.ConfigMap(Namespace, n), n => _runtime.Secret(Namespace, n), Image.ImageEnvironment);
        StartupWarnings = Image.StartupWarnings(env);
        foreach (var key in env.Keys.ToList())
        {
            env[key] = _runtime.Dns.Rewrite(env[key], Namespace);
        }

        var args = PodEnvironment.Arguments(Container, env).Select(a => _runtime.Dns.Rewrite(a, Namespace)).ToList();
        foreach (var mount in Container.VolumeMounts ?? [])
        {
            _volumes[mount.MountPath] = Volume(mount.Name);
        }

        _context = new ContainerContext(Ip, Container, env, args, HostPort, path => _volumes.GetValueOrDefault(path));
        var launch = Image.Launch(_context);
        if (_volumes.TryGetValue("/tmp", out var tmp))
        {
            launch.Environment["TMPDIR"] = tmp;
        }

        // The pod sees the cluster only through what is mounted into it: no host Kubernetes settings leak in.
        launch.Environment["KUBERNETES_SERVICE_HOST"] = null;
        launch.Environment["KUBERNETES_SERVICE_PORT"] = null;
        launch.Environment["KUBECONFIG"] = null;
        if (Template.Spec.AutomountServiceAccountToken != false)
        {
            launch.Environment["KUBECONFIG"] = _runtime.Kubeconfig(Namespace, Template.Spec.ServiceAccountName ?? "default");
        }

        _process = new ChildProcess(launch.FileName, launch.Arguments, launch.Environment, launch.WorkingDirectory, keepLines: 5000);
        Cpu = new CpuUsage(_process.Id);
        StartedAt ??= DateTimeOffset.UtcNow;
        _runtime.Events.Add("Started", Name, $"{Image.Name} pid {_process.Id}");
        PatchStatus();
    }

    /// <summary>Runs the probes while the container lives; returns "exited" or "liveness".</summary>
    private async Task<string> WatchContainerAsync(CancellationToken stop)
    {
        var process = _process!;
        var spec = Container;
        if (spec.StartupProbe is { } startup)
        {
            await DelayAsync(Probes.InitialDelay(startup), stop);
            var failures = 0;
            while (!stop.IsCancellationRequested && !process.HasExited)
            {
                if (await Probes.RunAsync(startup, _context!, Image, stop))
                {
                    break;
                }

                if (++failures >= Probes.FailureThreshold(startup))
                {
                    return "liveness";
                }

                await DelayAsync(Probes.Period(startup), stop);
            }
        }

        _started = true;
        using var probing = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var readiness = spec.ReadinessProbe is { } ready ? Task.Run(() => ReadinessAsync(ready, probing.Token)) : SetReadyAsync();
        var liveness = spec.LivenessProbe is { } live ? Task.Run(() => LivenessAsync(live, process, probing.Token)) : Task.Delay(Timeout.Infinite, probing.Token);
        var exited = process.WaitForExitAsync(Timeout.InfiniteTimeSpan);
        var first = await Task.WhenAny(exited, liveness);
        await probing.CancelAsync();
        await Task.WhenAll(Quietly(readiness), Quietly(liveness));
        return first == exited || process.HasExited ? "exited" : "liveness";
    }

    private Task SetReadyAsync()
    {
        SetReady(true);
        return Task.CompletedTask;
    }

    private async Task ReadinessAsync(V1Probe probe, CancellationToken stop)
    {
        await DelayAsync(Probes.InitialDelay(probe), stop);
        var (successes, failures) = (0, 0);
        while (!stop.IsCancellationRequested)
        {
            if (await Probes.RunAsync(probe, _context!, Image, stop))
            {
                (successes, failures) = (successes + 1, 0);
                if (successes >= Probes.SuccessThreshold(probe))
                {
                    SetReady(true);
                }
            }
            else
            {
                (successes, failures) = (0, failures + 1);
                if (failures >= Probes.FailureThreshold(probe))
                {
                    SetReady(false);
                }
            }

            await DelayAsync(Probes.Period(probe), stop);
        }
    }

    private async Task LivenessAsync(V1Probe probe, ChildProcess process, CancellationToken stop)
    {
        await DelayAsync(Probes.InitialDelay(probe), stop);
        var failures = 0;
        while (!stop.IsCancellationRequested && !process.HasExited)
        {
            // A terminating pod's liveness failures do not restart it (the kubelet stops probing liveness then).
            failures = _terminating || await Probes.RunAsync(probe, _context!, Image, stop) ? 0 : failures + 1;
            if (failures >= Probes.FailureThreshold(probe))
            {
                return;
            }

            await DelayAsync(Probes.Period(probe), stop);
        }

        await Task.Delay(Timeout.Infinite, stop);
    }

    private void SetReady(bool ready)
    {
        if (_ready == ready)
        {
            return;
        }

        _ready = ready;
        ReadySince = DateTimeOffset.UtcNow;
        _runtime.Events.Add(ready ? "Ready" : "NotReady", Name, ready ? "readiness probe passed" : "readiness probe failed");
        PatchStatus();
    }

    private async Task TerminateAsync(string why)
    {
        var grace = TimeSpan.FromSeconds(Template.Spec.TerminationGracePeriodSeconds ?? 30);
        var deadline = DateTimeOffset.UtcNow + grace;
        _runtime.Events.Add("Deleting", Name, $"{why}; grace period {grace.TotalSeconds:0} s");
        _runtime.Api.MergePatch("Pod", Namespace, Name, new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["deletionTimestamp"] = DeletedAt!.Value.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
                ["deletionGracePeriodSeconds"] = (long)grace.TotalSeconds,
            },
        });
        if (Running && Container.Lifecycle?.PreStop is { } preStop)
        {
            using var preStopTimeout = new CancellationTokenSource(grace);
            try
            {
                await PreStopAsync(preStop, preStopTimeout.Token);
            }
            catch (OperationCanceledException)
            {
                _runtime.Events.Add("FailedPreStopHook", Name, "preStop did not finish within the grace period");
            }
        }

        if (_process is { HasExited: false } process)
        {
            _runtime.Events.Add("Killing", Name, "SIGTERM");
            process.Terminate();
            var left = deadline - DateTimeOffset.UtcNow;
            // The kubelet gives at least 2 s after SIGTERM when preStop used up the grace period.
            if (!await process.WaitForExitAsync(left > TimeSpan.FromSeconds(2) ? left : TimeSpan.FromSeconds(2)))
            {
                _runtime.Events.Add("Killing", Name, "grace period over: SIGKILL");
                process.Kill();
                await process.WaitForExitAsync(TimeSpan.FromSeconds(10));
            }

            _runtime.Events.Add("Exited", Name, $"exit code {(process.HasExited ? process.ExitCode : -1)} after {(DateTimeOffset.UtcNow - DeletedAt!.Value).TotalSeconds:0.0} s");
        }

        await _stop.CancelAsync();
        await Quietly(_run);
        lock (_output)
        {
            _output.Add(_process?.TimedOutput ?? "");
        }

        if (_process is not null)
        {
            await _process.DisposeAsync();
        }

        _ready = false;
        _runtime.Api.Delete("Pod", Namespace, Name);
        _runtime.Events.Add("Gone", Name, "removed from the API");
        _gone.TrySetResult();
    }

    private async Task PreStopAsync(V1LifecycleHandler preStop, CancellationToken cancel)
    {
        if (preStop.Sleep is { } sleep)
        {
            _runtime.Events.Add("PreStop", Name, $"sleep {sleep.Seconds} s");
            await Task.Delay(TimeSpan.FromSeconds(sleep.Seconds), cancel);
        }
        else if (preStop.HttpGet is { } http && _context is not null)
        {
            var probe = new V1Probe { HttpGet = http, TimeoutSeconds = (int)TimeSpan.FromMinutes(10).TotalSeconds };
            await Probes.RunAsync(probe, _context, Image, cancel);
        }
        else if (preStop.Exec is { } exec && _context is not null)
        {
            await Image.ExecAsync(_context, exec.Command, TimeSpan.FromMinutes(10)).WaitAsync(cancel);
        }
    }

    private string Volume(string name)
    {
        var path = Path.Combine(Directory, "volumes", name);
        System.IO.Directory.CreateDirectory(path);
        var volume = Template.Spec.Volumes?.FirstOrDefault(v => v.Name == name);
        if (volume?.ConfigMap is { } cm && _runtime.ConfigMap(Namespace, cm.Name) is { Data: { } data })
        {
            foreach (var (key, value) in data)
            {
                File.WriteAllText(Path.Combine(path, key), value);
            }
        }

        return path;
    }

    private JsonObject ApiObject()
    {
        var labels = new Dictionary<string, string>(Template.Metadata?.Labels ?? new Dictionary<string, string>()) { ["pod-template-hash"] = Revision };
        var pod = new V1Pod
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = new V1ObjectMeta
            {
                Name = Name,
                NamespaceProperty = Namespace,
                Uid = Uid,
                Labels = labels,
                Annotations = Template.Metadata?.Annotations is { } a ? new Dictionary<string, string>(a) : null,
                OwnerReferences = [new V1OwnerReference { ApiVersion = "apps/v1", Kind = "ReplicaSet", Name = Owner + "-" + Revision, Uid = Owner + "-" + Revision, Controller = true }],
            },
            Spec = Template.Spec,
            Status = new V1PodStatus { Phase = "Pending" },
        };
        var json = JsonNode.Parse(KubernetesJson.Serialize(pod))!.AsObject();
        json["spec"]!["nodeName"] = "local";
        return json;
    }

    private void PatchStatus()
    {
        var now = DateTimeOffset.UtcNow.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        var ready = _ready ? "True" : "False";
        _runtime.Api.MergePatch("Pod", Namespace, Name, new JsonObject
        {
            ["status"] = new JsonObject
            {
                ["phase"] = Running || _started ? "Running" : "Pending",
                ["podIP"] = Ip,
                ["podIPs"] = new JsonArray(new JsonObject { ["ip"] = Ip }),
                ["hostIP"] = "127.0.0.1",
                ["startTime"] = StartedAt?.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
                ["conditions"] = new JsonArray(
                    new JsonObject { ["type"] = "PodScheduled", ["status"] = "True" },
                    new JsonObject { ["type"] = "Initialized", ["status"] = "True" },
                    new JsonObject { ["type"] = "ContainersReady", ["status"] = ready, ["lastTransitionTime"] = now },
                    new JsonObject { ["type"] = "Ready", ["status"] = ready, ["lastTransitionTime"] = now }),
                ["containerStatuses"] = new JsonArray(new JsonObject
                {
                    ["name"] = Container.Name,
                    ["image"] = Container.Image,
                    ["ready"] = _ready,
                    ["started"] = _started,
                    ["restartCount"] = Restarts,
                }),
            },
        });
    }

    private static async Task DelayAsync(TimeSpan delay, CancellationToken stop)
    {
        try
        {
            await Task.Delay(delay, stop);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static async Task Quietly(Task task)
    {
        try
        {
            await task;
        }
        catch (OperationCanceledException)
        {
        }
    }
}
