using System.Text;
using System.Text.RegularExpressions;

namespace Chat.Deploy.Tests.Infrastructure;

/// <summary>One instruction of a Dockerfile, continuation lines joined.</summary>
public sealed record DockerInstruction(string Keyword, string Arguments, int Line);

/// <summary>A build stage: FROM image [AS name] and its instructions.</summary>
public sealed record DockerStage(string BaseImage, string? Name, IReadOnlyList<DockerInstruction> Instructions)
{
    public IEnumerable<DockerInstruction> All(string keyword) =>
        Instructions.Where(i => i.Keyword.Equals(keyword, StringComparison.OrdinalIgnoreCase));
}

/// <summary>A Dockerfile read into stages, enough for the offline checks (no variable expansion).</summary>
public sealed partial class Dockerfile
{
    private Dockerfile(IReadOnlyList<DockerStage> stages) => Stages = stages;

    public IReadOnlyList<DockerStage> Stages { get; }

    public DockerStage Final => Stages[^1];

    public DockerStage? Stage(string name) => Stages.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));

    public static Dockerfile Parse(string text)
    {
        var stages = new List<(string Image, string? Name, List<DockerInstruction> Instructions)>();
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var start = i;
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var joined = new StringBuilder();
            while (line.EndsWith('\\') && i + 1 < lines.Length)
            {
                joined.Append(line[..^1]).Append(' ');
                line = lines[++i].Trim();
                while (line.StartsWith('#') && i + 1 < lines.Length)
                {
                    line = lines[++i].Trim();
                }
            }

            joined.Append(line);
            var match = InstructionPattern().Match(joined.ToString());
            var instruction = new DockerInstruction(match.Groups["keyword"].Value.ToUpperInvariant(), match.Groups["args"].Value.Trim(), start + 1);
            if (instruction.Keyword == "FROM")
            {
                var from = FromPattern().Match(instruction.Arguments);
                stages.Add((from.Groups["image"].Value, from.Groups["name"].Success ? from.Groups["name"].Value : null, []));
            }
            else if (stages.Count > 0)
            {
                stages[^1].Instructions.Add(instruction);
            }
        }

        return new Dockerfile(stages.Select(s => new DockerStage(s.Image, s.Name, s.Instructions)).ToList());
    }

    /// <summary>COPY's source paths and destination (flags such as --from= returned separately).</summary>
    public static (IReadOnlyList<string> Sources, string Destination, string? From) CopyParts(DockerInstruction copy)
    {
        var words = copy.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var from = words.FirstOrDefault(w => w.StartsWith("--from=", StringComparison.Ordinal))?["--from=".Length..];
        var paths = words.Where(w => !w.StartsWith("--", StringComparison.Ordinal)).ToList();
        return (paths[..^1], paths[^1], from);
    }

    [GeneratedRegex(@"^(?<keyword>[A-Za-z]+)\s*(?<args>.*)$", RegexOptions.Singleline)]
    private static partial Regex InstructionPattern();

    [GeneratedRegex(@"^(--\S+\s+)*(?<image>\S+)(\s+AS\s+(?<name>\S+))?", RegexOptions.IgnoreCase)]
    private static partial Regex FromPattern();
}
