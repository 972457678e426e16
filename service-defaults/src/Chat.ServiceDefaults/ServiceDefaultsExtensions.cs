using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Chat.ServiceDefaults;

/// <summary>
/// What every service of the chat shares: OpenTelemetry metrics and traces, `/healthz`, `/readyz`, `/metrics`.
/// </summary>
public static class ServiceDefaultsExtensions
{
    /// <summary>Health checks with this tag decide readiness; the rest only liveness.</summary>
    public const string ReadyTag = "ready";

    /// <summary>Meters of ASP.NET Core itself that every service exports besides its own.</summary>
    private static readonly string[] FrameworkMeters =
    [
        "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Server.Kestrel",
        "Microsoft.AspNetCore.Http.Connections",
        "Microsoft.AspNetCore.SignalR",
        "System.Net.Http",
    ];

    /// <summary>
    /// Kestrel's buffer pool counters (AddAspNetCoreInstrumentation subscribes to them): recorded on every buffer rent,
    /// so on each socket read and write (1.6 % of the gateway's CPU samples in the echo benchmark), for figures that the
    /// runtime's own memory metrics already cover. Dropped, the SDK does not subscribe to them at all.
    /// </summary>
    private const string NotExportedMeter = "Microsoft.AspNetCore.MemoryPool";

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder, string serviceName, params string[] meters)
        where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy());

        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(serviceName))
            .WithMetrics(m => m
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter(FrameworkMeters)
                .AddMeter(meters)
                .AddView(instrument => instrument.Meter.Name == NotExportedMeter ? MetricStreamConfiguration.Drop : null)
                .AddPrometheusExporter());

        // Traces are recorded only when a collector is configured (the usual OTEL_* variables): without one they
        // would be built per request (server and client span, tags, headers) and thrown away.
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            otel.WithTracing(t => t
                    .AddSource(serviceName)
                    .AddAspNetCoreInstrumentation(o => o.Filter = ctx => !IsProbePath(ctx.Request.Path))
                    .AddHttpClientInstrumentation())
                .UseOtlpExporter();
        }

        return builder;
    }

    /// <summary>
    /// /healthz, /readyz and /metrics, answered only to internal addresses (see <see cref="InternalEndpoints"/>). With
    /// <c>Metrics:Port</c> set (a port the service also listens on, e.g. ASPNETCORE_HTTP_PORTS=8080;9464), /metrics
    /// answers on that port only, so that a proxy or Ingress in front of the traffic port never exposes it.
    /// </summary>
    public static WebApplication MapServiceDefaults(this WebApplication app)
    {
        app.UseInternalEndpoints();
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = c => !c.Tags.Contains(ReadyTag) }).Internal();
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag) }).Internal();
        var metrics = app.MapPrometheusScrapingEndpoint("/metrics").Internal();
        if (app.Configuration.GetValue<int?>(MetricsPortKey) is > 0 and var port)
        {
            metrics.RequireHost($"*:{port}");
        }

        return app;
    }

    /// <summary>Configuration key of the port /metrics is restricted to.</summary>
    public const string MetricsPortKey = "Metrics:Port";

    private static bool IsProbePath(Microsoft.AspNetCore.Http.PathString path) =>
        path.StartsWithSegments("/healthz") || path.StartsWithSegments("/readyz") || path.StartsWithSegments("/metrics");
}
