using System.Diagnostics.Metrics;
using Chat.Server.Backplane;
using Chat.Server.Balancing;
using Chat.Server.Connections;
using Chat.Server.Observability;
using Chat.Server.Rooms;
using Chat.Server.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Chat.Server.Tests.Balancing;

/// <summary>A background service meets a Redis error nobody anticipated: it logs, counts and retries, the host stays up.</summary>
public sealed class LoadReporterTests
{
    [Fact]
    public async Task A_load_store_that_throws_an_unexpected_error_is_retried_and_counted_not_fatal()
    {
        using var meters = new PlainMeterFactory();
        using var metrics = new ChatMetrics(meters);
        var backgroundErrors = 0L;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name == "chat.errors")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            if (tags.ToArray().Any(t => t.Key == "kind" && Equals(t.Value, ChatErrorKinds.Background)))
            {
                Interlocked.Add(ref backgroundErrors, value);
            }
        });
        listener.Start();

        // What StackExchange.Redis throws for a multi-key command across slots of a Redis Cluster, three times.
        var store = new FailingThenWorkingLoadStore(failures: 3);
        var clusterLoad = new ClusterLoad();
        var readiness = new ProxyReadiness();
        readiness.ReadyAnswered();
        using var reporter = new LoadReporter(
            store,
            new ConnectionRegistry(metrics),
            clusterLoad,
            new DrainState(),
            readiness,
            Options.Create(new BalancingOptions { ReportInterval = TimeSpan.FromMilliseconds(50) }),
            metrics,
            TimeProvider.System,
            NullLogger<LoadReporter>.Instance);

        await reporter.StartAsync(CancellationToken.None);
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (clusterLoad.ReadAt is null && !bound.IsCancellationRequested)
        {
            await Task.Delay(20, bound.Token);
        }

        Assert.NotNull(clusterLoad.ReadAt);
        Assert.False(reporter.ExecuteTask!.IsCompleted);
        Assert.Equal(3, Interlocked.Read(ref backgroundErrors));
        Assert.Equal(0, clusterLoad.Replicas["r1"]);
        await reporter.StopAsync(CancellationToken.None);
    }

    private sealed class FailingThenWorkingLoadStore(int failures) : ILoadStore
    {
        private int _calls;

        public Task<IReadOnlyDictionary<string, LoadReport>> ReportAsync(long connections, CancellationToken cancellationToken = default)
        {
            if (Interlocked.Increment(ref _calls) <= failures)
            {
                throw new RedisCommandException("Multi-key operations must involve a single slot");
            }

            IReadOnlyDictionary<string, LoadReport> reports = new Dictionary<string, LoadReport> { ["r1"] = new(connections, DateTimeOffset.UtcNow) };
            return Task.FromResult(reports);
        }

        public Task<IReadOnlyDictionary<string, LoadReport>> ReadAsync(CancellationToken cancellationToken = default) => ReportAsync(0, cancellationToken);

        public Task WithdrawAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;
    }
}
