namespace Chat.Testing;

/// <summary>
/// One of the project's own services (chat server, gateway, ingress controller) started from its build output
/// on a free loopback port, the way a user runs it; ready once `/healthz` answers.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };

    private ServiceProcess(ChildProcess process, int port)
    {
        Process = process;
        Port = port;
    }

    public ChildProcess Process { get; }

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");

    /// <summary>Starts ("chat-server", "Chat.Server") with the given settings (configuration keys, ':' or '__').</summary>
    public static async Task<ServiceProcess> StartAsync(string component, string project, IDictionary<string, string?>? settings = null, int? port = null)
    {
        var listenPort = port ?? FreePort.Next();
        var environment = new Dictionary<string, string?>
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{listenPort}",
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["DOTNET_gcServer"] = "0",
            ["Logging__LogLevel__Default"] = "Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            environment[key.Replace(":", "__")] = value;
        }

        var dll = RepoPaths.ProjectOutput(component, project);
        // The project folder is the content root, as with `dotnet run`: wwwroot and appsettings come from there.
        var process = new ChildProcess("dotnet", [dll], environment, Path.Combine(RepoPaths.Root, component, "src", project));
        var service = new ServiceProcess(process, listenPort);
        if (!await Eventually.TrueAsync(service.IsLiveAsync, TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(200)))
        {
            var output = process.Output;
            await service.DisposeAsync();
            throw new InvalidOperationException($"{project} did not become live on port {listenPort}:{Environment.NewLine}{output}");
        }

        return service;
    }

    public Task<ChatProbe> GetAsync(string path) => ChatProbe.GetAsync(Http, new Uri(BaseAddress, path));

    public async Task<bool> IsLiveAsync()
    {
        if (Process.HasExited)
        {
            throw new InvalidOperationException($"exited with {Process.ExitCode}: {Process.Output}");
        }

        using var response = await Http.GetAsync(new Uri(BaseAddress, "/healthz"));
        return response.IsSuccessStatusCode;
    }

    public async Task<bool> IsReadyAsync()
    {
        using var response = await Http.GetAsync(new Uri(BaseAddress, "/readyz"));
        return response.IsSuccessStatusCode;
    }

    /// <summary>SIGTERM: the graceful stop a pod gets.</summary>
    public void Terminate() => Process.Terminate();

    public ValueTask DisposeAsync() => Process.DisposeAsync();
}

/// <summary>A plain GET's status, body and headers, read fully.</summary>
public sealed record ChatProbe(int Status, string Body, IReadOnlyDictionary<string, string> Headers)
{
    public static async Task<ChatProbe> GetAsync(HttpClient http, Uri uri)
    {
        using var response = await http.GetAsync(uri);
        var headers = response.Headers.Concat(response.Content.Headers)
            .ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
        return new ChatProbe((int)response.StatusCode, await response.Content.ReadAsStringAsync(), headers);
    }
}
