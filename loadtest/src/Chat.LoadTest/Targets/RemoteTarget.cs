namespace Chat.LoadTest.Targets;

/// <summary>A cluster someone else runs (docker compose, kind): clients connect through its URL, or its URLs in turn.</summary>
public sealed class RemoteTarget : ITargetCluster
{
    private readonly Uri[] _addresses;
    private int _next = -1;

    public RemoteTarget(IReadOnlyList<Uri> addresses, string? host = null)
    {
        if (addresses.Count == 0)
        {
            throw new ArgumentException("a remote target needs at least one address", nameof(addresses));
        }

        _addresses = [.. addresses.Select(a => a.AbsoluteUri.EndsWith('/') ? a : new Uri(a.AbsoluteUri + "/"))];
        Host = host;
    }

    public RemoteTarget(Uri address, string? host = null)
        : this([address], host)
    {
    }

    /// <summary>The Host header to send (an ingress rule's host while connecting to a load balancer's address).</summary>
    public string? Host { get; }

    public string Description => string.Join(", ", _addresses.Select(a => a.ToString()));

    public IReadOnlyList<Uri> Entries => _addresses;

    public IReadOnlyList<string> KnownReplicas => [];

    public ILocalClusterControl? Control => null;

    public Uri Next() => _addresses[(int)((uint)Interlocked.Increment(ref _next) % (uint)_addresses.Length)];

    public long? MemoryBytes(string replica) => null;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
