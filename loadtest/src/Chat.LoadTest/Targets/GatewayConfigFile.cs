using System.Text.Json;
using System.Text.Json.Nodes;

namespace Chat.LoadTest.Targets;

/// <summary>
/// The file the gateway layers on its configuration (`Gateway:ConfigFile`) and reloads on change: the chat
/// cluster's destinations, rewritten whole when a replica is added. Open WebSockets survive the reload.
/// </summary>
public sealed class GatewayConfigFile(string path)
{
    public string Path { get; } = path;

    public async Task WriteAsync(IReadOnlyDictionary<string, Uri> destinations)
    {
        var nodes = new JsonObject();
        foreach (var (id, address) in destinations)
        {
            nodes[id] = new JsonObject { ["Address"] = address.ToString() };
        }

        var document = new JsonObject
        {
            ["ReverseProxy"] = new JsonObject
            {
                ["Clusters"] = new JsonObject { ["chat"] = new JsonObject { ["Destinations"] = nodes } },
            },
        };

        // Write then rename, so the watcher never reads half a file.
        var temporary = Path + ".tmp";
        await File.WriteAllTextAsync(temporary, document.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        File.Move(temporary, Path, overwrite: true);
    }
}
