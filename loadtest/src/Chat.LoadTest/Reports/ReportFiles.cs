using System.Text.Json;
using System.Text.Json.Serialization;

namespace Chat.LoadTest.Reports;

/// <summary>Writes summary.json and report.html into the run's output folder.</summary>
public static class ReportFiles
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static async Task<(string Json, string Html)> WriteAsync(RunSummary summary, string directory)
    {
        Directory.CreateDirectory(directory);
        var json = Path.Combine(directory, "summary.json");
        var html = Path.Combine(directory, "report.html");
        await File.WriteAllTextAsync(json, JsonSerializer.Serialize(summary, Json));
        await File.WriteAllTextAsync(html, HtmlReport.Render(summary));
        return (Path.GetFullPath(json), Path.GetFullPath(html));
    }
}
