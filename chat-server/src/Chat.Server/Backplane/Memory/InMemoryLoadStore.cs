using Chat.Server.Hosting;
using Microsoft.Extensions.Options;

namespace Chat.Server.Backplane.Memory;

/// <summary>A single node's load view: only its own report, so it never finds itself above a fair share.</summary>
public sealed class InMemoryLoadStore(IOptions<ChatOptions> options, TimeProvider time) : ILoadStore
{
    private volatile IReadOnlyDictionary<string, LoadReport> _reports = new Dictionary<string, LoadReport>();

    public Task<IReadOnlyDictionary<string, LoadReport>> ReportAsync(long connections, CancellationToken cancellationToken = default)
    {
        _reports = new Dictionary<string, LoadReport> { [options.Value.ReplicaId] = new(connections, time.GetUtcNow()) };
        return Task.FromResult(_reports);
    }

    public Task<IReadOnlyDictionary<string, LoadReport>> ReadAsync(CancellationToken cancellationToken = default) => Task.FromResult(_reports);

    public Task WithdrawAsync(CancellationToken cancellationToken = default)
    {
        _reports = new Dictionary<string, LoadReport>();
        return Task.CompletedTask;
    }
}
