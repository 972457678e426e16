using System.Text.Json;

namespace Chat.Testing;

/// <summary>
/// The gateway's <c>Gateway:ConfigFile</c>: the chat cluster's destinations (and optional extra metadata), replaced
/// atomically (write + rename) as a ConfigMap update does, so the gateway never reads half a file. In a temp folder
/// of its own (deleted on dispose) unless given a path.
/// </summary>
public sealed class GatewayConfigFile : IDisposable
{
    private readonly string? _ownDirectory;

    public GatewayConfigFile(string? path = null)
    {
        _ownDirectory = path is null ? Directory.CreateTempSubdirectory("chat-gateway-").FullName : null;
        Path = path ?? System.IO.Path.Combine(_ownDirectory!, "gateway.json");
    }

    public string Path { get; }

    public void Write(IReadOnlyDictionary<string, Uri> destinations, IReadOnlyDictionary<string, string>? clusterMetadata = null,
        IReadOnlyDictionary<string, string>? realtimeRouteMetadata = null)
    {
        var cluster = new Dictionary<string, object>
        {
            ["Destinations"] = destinations.ToDictionary(d => d.Key, d => new { Address = d.Value.ToString() }),
        };
        if (clusterMetadata is not null)
        {
            cluster["Metadata"] = clusterMetadata;
        }

        var proxy = new Dictionary<string, object> { ["Clusters"] = new Dictionary<string, object> { ["chat"] = cluster } };
        if (realtimeRouteMetadata is not null)
        {
            proxy["Routes"] = new Dictionary<string, object> { ["chat-realtime"] = new { Metadata = realtimeRouteMetadata } };
        }

        var temp = Path + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(new { ReverseProxy = proxy }));
        File.Move(temp, Path, overwrite: true);
    }

    public void Dispose()
    {
        if (_ownDirectory is not null)
        {
            Directory.Delete(_ownDirectory, recursive: true);
        }
    }
}
