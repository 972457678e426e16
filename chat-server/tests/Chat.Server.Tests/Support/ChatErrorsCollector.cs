using System.Diagnostics.Metrics;
using Chat.Server.Observability;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace Chat.Server.Tests.Support;

/// <summary>
/// The chat.errors one in-process server counts, from its own meter. For tests that poll a count: polling /metrics
/// is not reliable in a test process, where disposing another test's server (its Chat.Server meter) ends the
/// OpenTelemetry metric stream every same-named meter shares, at the next scrape (opentelemetry-dotnet#6412).
/// </summary>
public sealed class ChatErrorsCollector(InProcessChatServer server) : IDisposable
{
    private readonly MetricCollector<long> _errors = new(server.Services.GetRequiredService<IMeterFactory>(), ChatMetrics.MeterName, "chat.errors");

    public long Count(string kind) =>
        _errors.GetMeasurementSnapshot().Where(m => m.Tags.TryGetValue("kind", out var k) && k as string == kind).Sum(m => m.Value);

    public void Dispose() => _errors.Dispose();
}
