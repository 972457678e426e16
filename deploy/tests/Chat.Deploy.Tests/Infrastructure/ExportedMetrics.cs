using System.Diagnostics.Metrics;
using Chat.Server.Observability;
using Microsoft.Extensions.DependencyInjection;

namespace Chat.Deploy.Tests.Infrastructure;

/// <summary>
/// The Prometheus names of the chat server's own instruments, read off the real ChatMetrics class rather than
/// written down again: dots become underscores, a counter gets `_total`, a unit a suffix (as the OpenTelemetry
/// Prometheus exporter does), so a scaler query can be checked against what the server exports.
/// </summary>
public static class ExportedMetrics
{
    public static IReadOnlySet<string> ChatServer()
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, _) =>
            {
                if (instrument.Meter.Name == ChatMetrics.MeterName)
                {
                    names.UnionWith(PrometheusNames(instrument));
                }
            },
        };
        listener.Start();

        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        using var metrics = ActivatorUtilities.CreateInstance<ChatMetrics>(services);
        names.UnionWith(AspNetCoreHosting);
        return names;
    }

    /// <summary>
    /// ASP.NET Core's own request histogram (meter Microsoft.AspNetCore.Hosting, instrument http.server.request.duration
    /// in seconds, attributes http.route, http.request.method, http.response.status_code), which every service exports
    /// through ServiceDefaults; it only exists while a host runs, so it is named here rather than read off a class.
    /// </summary>
    private static readonly string[] AspNetCoreHosting =
        ["http_server_request_duration_seconds_bucket", "http_server_request_duration_seconds_sum", "http_server_request_duration_seconds_count"];

    private static IEnumerable<string> PrometheusNames(Instrument instrument)
    {
        var name = instrument.Name.Replace('.', '_').Replace('-', '_');
        var unit = instrument.Unit switch
        {
            "s" => "_seconds",
            "ms" => "_milliseconds",
            "By" => "_bytes",
            _ => "",
        };
        if (!name.EndsWith(unit, StringComparison.Ordinal))
        {
            name += unit;
        }

        var type = instrument.GetType();
        var generic = type.IsGenericType ? type.GetGenericTypeDefinition() : type;
        if (generic == typeof(Counter<>) || generic == typeof(ObservableCounter<>))
        {
            return [name.EndsWith("_total", StringComparison.Ordinal) ? name : name + "_total"];
        }

        if (generic == typeof(Histogram<>))
        {
            return [name + "_bucket", name + "_sum", name + "_count"];
        }

        return [name];
    }
}
