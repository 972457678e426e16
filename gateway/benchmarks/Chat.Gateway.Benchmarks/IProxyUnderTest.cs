namespace Chat.Gateway.Benchmarks;

/// <summary>A proxy in front of the chat replicas: the gateway or nginx.</summary>
internal interface IProxyUnderTest : IAsyncDisposable
{
    string Name { get; }

    Uri Address { get; }

    /// <summary>The proxy's process (for nginx its master, whose workers are its children): whose CPU is measured.</summary>
    int ProcessId { get; }

    /// <summary>Points the proxy at these replicas (a config file change for the gateway, a reload for nginx).</summary>
    Task SetReplicasAsync(IReadOnlyList<Uri> replicas);
}
