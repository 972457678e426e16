using Chat.IngressController.Hosting;
using Chat.IngressController.Proxy;
using Chat.IngressController.Status;
using Chat.Testing.Kubernetes.FakeApi;
using Chat.ServiceDefaults;
using Chat.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Chat.IngressController.Tests.Support;

/// <summary>The controller in process, with its real KubernetesClient pointed at a <see cref="FakeKubeApiServer"/>.</summary>
public sealed class ControllerHost : IAsyncDisposable
{
    public const string Namespace = "ingress";
    public const string ServiceName = "chat-ingress";

    private readonly WebApplication _app;

    private ControllerHost(WebApplication app, int httpPort, int httpsPort, int healthPort)
    {
        _app = app;
        HttpPort = httpPort;
        HttpsPort = httpsPort;
        HealthPort = healthPort;
    }

    public int HttpPort { get; }
    public int HttpsPort { get; }
    public int HealthPort { get; }
    public Uri Http => new($"http://127.0.0.1:{HttpPort}");
    public Uri Health => new($"http://127.0.0.1:{HealthPort}");
    public IServiceProvider Services => _app.Services;
    public ProxyConfigApplier Applier => Services.GetRequiredService<ProxyConfigApplier>();
    public LeaderElection Leader => Services.GetRequiredService<LeaderElection>();

    public static async Task<ControllerHost> StartAsync(FakeKubeApiServer api, string identity = "controller-0", IDictionary<string, string?>? settings = null)
    {
        var (http, https, health) = (FreePort.Next(), FreePort.Next(), FreePort.Next());
        var builder = WebApplication.CreateBuilder();
        var config = new Dictionary<string, string?>(OneHostLimits.IngressController)
        {
            ["IngressController:ApiServer"] = api.Url,
            ["IngressController:BindAddress"] = "127.0.0.1",
            ["IngressController:HttpPort"] = http.ToString(),
            ["IngressController:HttpsPort"] = https.ToString(),
            ["IngressController:HealthPort"] = health.ToString(),
            ["IngressController:HttpsRedirectPort"] = https.ToString(),
            ["IngressController:DebounceMilliseconds"] = "20",
            ["IngressController:PublishService"] = $"{Namespace}/{ServiceName}",
            ["IngressController:LeaseNamespace"] = Namespace,
            ["IngressController:Identity"] = identity,
            ["IngressController:LeaseDurationSeconds"] = "3",
            ["IngressController:LeaseRenewDeadlineSeconds"] = "2",
            ["IngressController:LeaseRetryPeriodSeconds"] = "1",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            config[key] = value;
        }

        builder.Configuration.AddInMemoryCollection(config);
        builder.Logging.ClearProviders();
        builder.AddServiceDefaults("ingress-controller", Observability.ControllerMetrics.MeterName, Chat.Proxy.Observability.ChatProxyMetrics.MeterName);
        builder.AddIngressController();
        var app = builder.Build();
        app.MapIngressController();
        await app.StartAsync();
        return new ControllerHost(app, http, https, health);
    }

    /// <summary>Starts the controller and waits until its first config (after a full sync) is serving.</summary>
    public static async Task<ControllerHost> StartReadyAsync(FakeKubeApiServer api, string identity = "controller-0", IDictionary<string, string?>? settings = null)
    {
        var controller = await StartAsync(api, identity, settings);
        if (!await Eventually.TrueAsync(() => controller.Applier.Ready, TimeSpan.FromSeconds(30)))
        {
            await controller.DisposeAsync();
            throw new InvalidOperationException("the controller did not apply a first config");
        }

        return controller;
    }

    /// <summary>Waits until a config generation after <paramref name="after"/> is applied.</summary>
    public Task<bool> AppliedAfterAsync(long after, TimeSpan? timeout = null) =>
        Eventually.TrueAsync(() => Applier.Generation > after, timeout ?? TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(20));

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
    }
}
