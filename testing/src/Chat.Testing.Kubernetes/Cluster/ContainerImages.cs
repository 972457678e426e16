using System.Globalization;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using k8s.Models;

namespace Chat.Testing.Kubernetes.Cluster;

/// <summary>How one container of a pod is started: program, arguments, environment, working directory.</summary>
public sealed record ContainerLaunch(string FileName, IReadOnlyList<string> Arguments, Dictionary<string, string?> Environment, string WorkingDirectory);

/// <summary>
/// What the container runtime would give an image: its resolved environment (image ENV under the container's
/// env), arguments, the pod's address, where each declared port is reachable (see <see cref="PodNetwork"/>) and
/// the host folder of each volume mount.
/// </summary>
public sealed record ContainerContext(string PodIp, V1Container Container, Dictionary<string, string> Environment, IReadOnlyList<string> Args,
    Func<int, int> HostPort, Func<string, string?> VolumePath);

/// <summary>
/// An image of the manifests and how the harness runs it as a local process. Images built from this repository
/// run their project's build output with the image's ENV (from the Dockerfile's final stage on top of the base
/// image's); third-party images run the same program from the machine (redis-server) or are stood in for by the
/// harness itself (Prometheus). What a network namespace would give (listening on 0.0.0.0:8080 in every pod) is
/// translated per image into the pod's own address and its mapped port: that is the only change to a container's
/// environment, besides KUBECONFIG for a mounted service-account token.
/// </summary>
public abstract partial class ContainerImage
{
    public abstract string Name { get; }

    /// <summary>Null when the image runs; otherwise why the harness does not run it.</summary>
    public virtual string? NotRun => null;

    /// <summary>The image's own environment (ENV of its Dockerfile and base image).</summary>
    public virtual IReadOnlyDictionary<string, string> ImageEnvironment { get; } = new Dictionary<string, string>();

    /// <summary>Problems the real container would log at start-up because of its environment (for the tests).</summary>
    public virtual IReadOnlyList<string> StartupWarnings(IReadOnlyDictionary<string, string> environment) => [];

    public abstract ContainerLaunch Launch(ContainerContext context);

    /// <summary>An exec probe's command run the way this image would run it; true when it exits with 0.</summary>
    public virtual Task<bool> ExecAsync(ContainerContext context, IList<string> command, TimeSpan timeout) =>
        throw new NotSupportedException($"exec probe {string.Join(' ', command)} in {Name}: not reproduced");

    public static ContainerImage For(string image) =>
        ImageName(image) switch
        {
            "chat-server" => new ProjectImage("chat-server", "chat-server", "Chat.Server", ProjectImage.Binding.AspNetCoreUrls),
            "chat-ingress-controller" => new ProjectImage("chat-ingress-controller", "ingress-controller", "Chat.IngressController", ProjectImage.Binding.IngressControllerPorts),
            "redis" => new RedisImage(),
            "prom/prometheus" or "prometheus" => new StandInImage("prom/prometheus", "the harness scrapes the pods and evaluates the autoscalers' PromQL itself (its Prometheus ConfigMap's scrape config and relabeling)"),
            var other => new StandInImage(other, "no local program for this image"),
        };

    private static string ImageName(string image)
    {
        var name = image.Split('@')[0];
        var slash = name.LastIndexOf('/');
        var colon = name.LastIndexOf(':');
        return colon > slash ? name[..colon] : name;
    }

    /// <summary>"key=value" and "key value" ENV lines of a Dockerfile's last stage, continuation lines joined.</summary>
    protected static Dictionary<string, string> DockerfileEnvironment(string dockerfile)
    {
        var text = File.ReadAllText(dockerfile).Replace("\\\n", " ", StringComparison.Ordinal);
        var stages = text.Split("\nFROM ");
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in stages[^1].Split('\n').Where(l => l.TrimStart().StartsWith("ENV ", StringComparison.Ordinal)))
        {
            foreach (Match m in EnvPair().Matches(line.Trim()[4..]))
            {
                env[m.Groups["key"].Value] = m.Groups["value"].Value.Trim('"');
            }
        }

        return env;
    }

    [GeneratedRegex(@"(?<key>[A-Za-z_][A-Za-z0-9_]*)=(?<value>""[^""]*""|\S*)")]
    private static partial Regex EnvPair();
}

/// <summary>An image built from a project of this repository (its Dockerfile's entry point is `dotnet Project.dll`).</summary>
public sealed class ProjectImage : ContainerImage
{
    /// <summary>The environment of mcr.microsoft.com/dotnet/aspnet:10.0 that matters here.</summary>
    private static readonly Dictionary<string, string> AspNetBase = new()
    {
        ["ASPNETCORE_HTTP_PORTS"] = "8080",
        ["APP_UID"] = "1654",
        ["DOTNET_RUNNING_IN_CONTAINER"] = "true",
    };

    private readonly string _component;
    private readonly string _project;
    private readonly Binding _binding;

    public ProjectImage(string name, string component, string project, Binding binding)
    {
        Name = name;
        _component = component;
        _project = project;
        _binding = binding;
        var env = new Dictionary<string, string>(AspNetBase);
        foreach (var (key, value) in DockerfileEnvironment(Path.Combine(RepoPaths.Root, component, "Dockerfile")))
        {
            env[key] = value;
        }

        ImageEnvironment = env;
    }

    public enum Binding
    {
        /// <summary>Kestrel from ASPNETCORE_URLS, or else ASPNETCORE_HTTP_PORTS (the chat server).</summary>
        AspNetCoreUrls,

        /// <summary>IngressController:BindAddress, HttpPort, HttpsPort and HealthPort (the controller's own listeners).</summary>
        IngressControllerPorts,
    }

    public override string Name { get; }

    public override IReadOnlyDictionary<string, string> ImageEnvironment { get; }

    public override IReadOnlyList<string> StartupWarnings(IReadOnlyDictionary<string, string> environment) =>
        _binding == Binding.AspNetCoreUrls && environment.GetValueOrDefault("ASPNETCORE_URLS") is { Length: > 0 } urls
            && (environment.GetValueOrDefault("ASPNETCORE_HTTP_PORTS") is { Length: > 0 } || environment.GetValueOrDefault("ASPNETCORE_HTTPS_PORTS") is { Length: > 0 })
            ? [$"Overriding HTTP_PORTS '{environment.GetValueOrDefault("ASPNETCORE_HTTP_PORTS")}' and HTTPS_PORTS '{environment.GetValueOrDefault("ASPNETCORE_HTTPS_PORTS")}'. Binding to values defined by URLS instead '{urls}'."]
            : [];

    public override ContainerLaunch Launch(ContainerContext context)
    {
        var env = context.Environment.ToDictionary(e => e.Key, e => (string?)e.Value);
        if (_binding == Binding.AspNetCoreUrls)
        {
            var urls = env.GetValueOrDefault("ASPNETCORE_URLS") is { Length: > 0 } declared
                ? declared.Split(';', StringSplitOptions.RemoveEmptyEntries)
                : (env.GetValueOrDefault("ASPNETCORE_HTTP_PORTS") ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries).Select(p => "http://*:" + p).ToArray();
            env["ASPNETCORE_URLS"] = string.Join(';', urls.Select(u => Translate(u, context)));
            env["ASPNETCORE_HTTP_PORTS"] = null;
            env["ASPNETCORE_HTTPS_PORTS"] = null;
            // The port /metrics is restricted to (Metrics:Port) is one of those, so it moves with them.
            if (env.GetValueOrDefault("Metrics__Port") is { } metricsPort && int.TryParse(metricsPort, CultureInfo.InvariantCulture, out var declaredMetrics))
            {
                env["Metrics__Port"] = context.HostPort(declaredMetrics).ToString(CultureInfo.InvariantCulture);
            }
        }
        else
        {
            env["IngressController__BindAddress"] = context.PodIp;
            foreach (var (key, port) in new[] { ("HttpPort", 8080), ("HttpsPort", 8443), ("HealthPort", 10254) })
            {
                var declared = env.GetValueOrDefault("IngressController__" + key) is { } value ? int.Parse(value, CultureInfo.InvariantCulture) : port;
                env["IngressController__" + key] = declared == 0 ? "0" : context.HostPort(declared).ToString(CultureInfo.InvariantCulture);
            }
        }

        // The server GC of a container with a 1-CPU limit has one heap; on this host it would take one per core.
        env["DOTNET_gcServer"] = "0";
        var dll = RepoPaths.ProjectOutput(_component, _project);
        return new ContainerLaunch("dotnet", [dll, .. context.Args], env, Path.Combine(RepoPaths.Root, _component, "src", _project));
    }

    private static string Translate(string url, ContainerContext context)
    {
        var match = Regex.Match(url, @"^(?<scheme>https?)://(?<host>[^:/]+|\[[^\]]+\]):(?<port>\d+)(?<rest>.*)$");
        if (!match.Success)
        {
            throw new NotSupportedException($"ASPNETCORE_URLS entry {url}: the harness needs scheme://host:port");
        }

        var port = context.HostPort(int.Parse(match.Groups["port"].Value, CultureInfo.InvariantCulture));
        return $"{match.Groups["scheme"].Value}://{context.PodIp}:{port}{match.Groups["rest"].Value}";
    }
}

/// <summary>redis:* as the official image runs it: redis-server with the container's args, in /data, protected mode off.</summary>
public sealed class RedisImage : ContainerImage
{
    public override string Name => "redis";

    public override ContainerLaunch Launch(ContainerContext context)
    {
        var data = context.VolumePath("/data") ?? Directory.CreateTempSubdirectory("chat-pod-redis-").FullName;
        string[] network = ["--bind", context.PodIp, "--port", context.HostPort(6379).ToString(CultureInfo.InvariantCulture), "--protected-mode", "no"];
        return new ContainerLaunch("redis-server", [.. context.Args, .. network, "--dir", data], context.Environment.ToDictionary(e => e.Key, e => (string?)e.Value), data);
    }

    /// <summary>`redis-cli ping` against the pod: a RESP PING answered with +PONG.</summary>
    public override async Task<bool> ExecAsync(ContainerContext context, IList<string> command, TimeSpan timeout)
    {
        if (command is not ["redis-cli", "ping"])
        {
            return await base.ExecAsync(context, command, timeout);
        }

        using var cts = new CancellationTokenSource(timeout);
        using var client = new TcpClient();
        await client.ConnectAsync(context.PodIp, context.HostPort(6379), cts.Token);
        await using var stream = client.GetStream();
        await stream.WriteAsync("PING\r\n"u8.ToArray(), cts.Token);
        var buffer = new byte[16];
        var read = await stream.ReadAsync(buffer, cts.Token);
        return read >= 5 && System.Text.Encoding.ASCII.GetString(buffer, 0, 5) == "+PONG";
    }
}

/// <summary>An image the harness does not run (its Deployment's pods are not created); the reason is reported.</summary>
public sealed class StandInImage(string name, string reason) : ContainerImage
{
    public override string Name => name;

    public override string? NotRun => reason;

    public override ContainerLaunch Launch(ContainerContext context) => throw new NotSupportedException(reason);
}
