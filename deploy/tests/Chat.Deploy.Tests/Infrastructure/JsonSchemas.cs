using System.Text.Json;
using System.Text.Json.Nodes;

namespace Chat.Deploy.Tests.Infrastructure;

/// <summary>
/// Validates objects against the JSON schemas of kubernetes-models (built-in kinds) and @kubernetes-models/keda
/// (KEDA's CRDs): required fields, types, enums and formats, and for custom resources also unknown fields (which the
/// API server would silently prune). Runs schema/manifests.mjs with the pinned npm packages.
/// </summary>
public static class JsonSchemas
{
    /// <summary>One problem per line: "Kind namespace/name: /json/path message"; empty when all are valid.</summary>
    public static async Task<IReadOnlyList<string>> ValidateAsync(JsonArray objects)
    {
        var script = Path.Combine(Repository.SchemaFolder, "manifests.mjs");
        if (!Directory.Exists(Path.Combine(Repository.SchemaFolder, "node_modules")))
        {
            throw new InvalidOperationException("schema/node_modules is missing: building Chat.Deploy.Tests runs `npm ci` there.");
        }

        var result = await Command.RunAsync(Tools.Node, [script, "validate"], objects.ToJsonString(), Repository.SchemaFolder);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("schema validation did not run: " + result);
        }

        using var report = JsonDocument.Parse(result.StandardOutput);
        return report.RootElement.EnumerateArray()
            .SelectMany(r => r.GetProperty("errors").EnumerateArray().Select(e => $"{r.GetProperty("id").GetString()}: {e.GetString()}"))
            .ToList();
    }
}
