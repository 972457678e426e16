using System.Net;
using Chat.IngressController.GatewayApi.Proxy;
using Chat.IngressController.Informers;
using Chat.IngressController.Kubernetes;
using Chat.IngressController.Observability;
using Chat.IngressController.Proxy;
using Chat.IngressController.Status;
using Chat.ServiceDefaults;
using k8s;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Chat.Proxy;
using Chat.Proxy.Drain;
using Yarp.ReverseProxy.LoadBalancing;

namespace Chat.IngressController.Hosting;

/// <summary>Wiring of the controller (watch, translate, apply, status) and of the proxy it feeds, in one process.</summary>
public static class IngressControllerExtensions
{
    public static WebApplicationBuilder AddIngressController(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(IngressControllerOptions.SectionName);
        builder.Services.AddOptions<IngressControllerOptions>().Bind(section).ValidateDataAnnotations().ValidateOnStart();

        builder.Services.AddSingleton<IKubernetes>(sp => new k8s.Kubernetes(ClientConfiguration(sp.GetRequiredService<IOptions<IngressControllerOptions>>().Value)));
        builder.Services.AddSingleton<KubernetesApi>();
        builder.Services.AddSingleton<ControllerMetrics>();
        builder.Services.AddSingleton<CertificateStore>();
        builder.Services.AddSingleton<RoutePolicies>();
        AddHosted<ControllerInformers>(builder.Services);
        AddHosted<LeaderElection>(builder.Services);
        AddHosted<IngressStatusWriter>(builder.Services);
        AddHosted<ProblemReporter>(builder.Services);
        AddHosted<ProxyConfigApplier>(builder.Services);

        var drain = section.Get<IngressControllerOptions>() ?? new IngressControllerOptions();
        builder.Services.AddChatProxy(proxy =>
        {
            proxy.DrainDelay = TimeSpan.FromSeconds(drain.DrainDelaySeconds);
            proxy.DrainWindow = TimeSpan.FromSeconds(drain.DrainWindowSeconds);
            section.GetSection("Limits").Bind(proxy.Limits);
        }).LoadFromMemory([], []).AddGatewayApi();
        builder.Services.AddChatProxyDrainOnShutdown();
        builder.Services.AddHealthChecks()
            .AddCheck<ReadinessHealthCheck>("config", tags: [ServiceDefaultsExtensions.ReadyTag])
            .AddCheck<ProxyDrainer>("draining", tags: [ServiceDefaultsExtensions.ReadyTag]);

        var listen = section.Get<IngressControllerOptions>() ?? new IngressControllerOptions();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            var address = IPAddress.TryParse(listen.BindAddress, out var ip) ? ip : IPAddress.Any;
            if (listen.HttpPort > 0)
            {
                kestrel.Listen(address, listen.HttpPort);
            }

            if (listen.HttpsPort > 0)
            {
                var certificates = kestrel.ApplicationServices.GetRequiredService<CertificateStore>();
                var gatewayCertificates = kestrel.ApplicationServices.GetRequiredService<GatewayCertificates>();
                kestrel.Listen(address, listen.HttpsPort, l => l.UseHttps(https => https.ServerCertificateSelector =
                    (_, name) => certificates.Find(name) ?? gatewayCertificates.Select(listen.HttpsPort, name) ?? certificates.Fallback));
            }

            if (!string.IsNullOrEmpty(listen.GatewayPorts))
            {
                // The Gateways' own pod ports, opened and closed as Gateways change (GatewayPortListeners).
                var gatewayCertificates = kestrel.ApplicationServices.GetRequiredService<GatewayCertificates>();
                var fallback = kestrel.ApplicationServices.GetRequiredService<CertificateStore>();
                kestrel.Listen(new GatewayPortsEndPoint(https: false));
                kestrel.Listen(new GatewayPortsEndPoint(https: true), l => l.UseHttps(https => https.ServerCertificateSelector =
                    (connection, name) => (connection?.LocalEndPoint is IPEndPoint local ? gatewayCertificates.Select(local.Port, name) : null) ?? fallback.Fallback));
            }

            if (listen.HealthPort > 0)
            {
                kestrel.Listen(address, listen.HealthPort);
            }
        });
        return builder;
    }

    public static WebApplication MapIngressController(this WebApplication app)
    {
        // The health port is internal, like ingress-nginx's 10254: it answers the probes and the metrics, anything else
        // 404, and proxies nothing. On the traffic ports the proxy core keeps these paths internal (404).
        // They are middleware ahead of routing, not endpoints: each literal path beside the proxied routes' catch-alls
        // is one more matcher node holding every route, and the matcher is rebuilt on every route change.
        var healthPort = app.Services.GetRequiredService<IOptions<IngressControllerOptions>>().Value.HealthPort;
        app.MapWhen(context => healthPort > 0 && context.Connection.LocalPort == healthPort, health =>
        {
            health.UseHealthChecks("/healthz", new HealthCheckOptions { Predicate = c => !c.Tags.Contains(ServiceDefaultsExtensions.ReadyTag) });
            health.UseHealthChecks("/readyz", new HealthCheckOptions { Predicate = c => c.Tags.Contains(ServiceDefaultsExtensions.ReadyTag) });
            health.UseOpenTelemetryPrometheusScrapingEndpoint(context => context.Request.Path == "/metrics");
        });

        // Ingress request policies (allow list, ssl-redirect, body size) run once routing has picked the route.
        var routePolicies = app.Services.GetRequiredService<RoutePolicies>();
        app.UseRouting();
        app.Use((context, next) => routePolicies.InvokeAsync(context, () => next(context)));
        var gatewayRequests = app.Services.GetRequiredService<GatewayRequestHandler>();
        app.Use((context, next) => gatewayRequests.InvokeAsync(context, () => next(context)));
        app.MapProxyWithGatewayApi();
        return app;
    }

    /// <summary>
    /// Where the API server is, as kubectl finds it: IngressController:ApiServer (no authentication), else the
    /// kubeconfig files in KUBECONFIG (merged, as kubectl does), else the in-cluster service account, else ~/.kube/config.
    /// </summary>
    private static KubernetesClientConfiguration ClientConfiguration(IngressControllerOptions options)
    {
        if (!string.IsNullOrEmpty(options.ApiServer))
        {
            return new KubernetesClientConfiguration { Host = options.ApiServer };
        }

        if (!string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("KUBECONFIG")))
        {
            return KubernetesClientConfiguration.BuildDefaultConfig();
        }

        return KubernetesClientConfiguration.IsInCluster()
            ? KubernetesClientConfiguration.InClusterConfig()
            : KubernetesClientConfiguration.BuildDefaultConfig();
    }

    private static void AddHosted<T>(IServiceCollection services)
        where T : class, IHostedService
    {
        services.AddSingleton<T>();
        services.AddHostedService(sp => sp.GetRequiredService<T>());
    }
}
