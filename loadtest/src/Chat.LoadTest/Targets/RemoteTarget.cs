namespace Chat.LoadTest.Targets;

/// <summary>A cluster someone else runs (docker compose, kind): every client connects through one URL.</summary>
public sealed class RemoteTarget(Uri address, string? host = null) : ITargetCluster
{
    /// <summary>The Host header to send (an ingress rule's host while connecting to a load balancer's address).</summary>
    public string? Host => host;

    private readonly Uri _address = address.AbsoluteUri.EndsWith('/') ? address : new Uri(address.AbsoluteUri + "/");

    public string Description => _address.ToString();

    public IReadOnlyList<string> KnownReplicas => [];

    public ILocalClusterControl? Control => null;

    public Uri Next() => _address;

    public long? MemoryBytes(string replica) => null;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
