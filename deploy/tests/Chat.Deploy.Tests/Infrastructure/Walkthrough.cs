using System.Text.RegularExpressions;

namespace Chat.Deploy.Tests.Infrastructure;

/// <summary>
/// The commands of README.md's "Docker Compose and Kubernetes" section, as a reader would type them, and those of
/// deploy/kind.sh, which the section's kind walkthrough runs.
/// </summary>
public sealed partial class Walkthrough(string text)
{
    public const string Heading = "## Docker Compose and Kubernetes";

    public string Text { get; } = text;

    /// <summary>The README's section and the kind script it sends readers to (its commands, variables expanded).</summary>
    public static Walkthrough FromReadme() => new(ReadmeSection() + "\n" + KindScript.Expanded);

    /// <summary>The README's "Docker Compose and Kubernetes" section alone.</summary>
    public static string ReadmeSection()
    {
        var readme = Repository.Read("README.md");
        var start = readme.IndexOf(Heading + "\n", StringComparison.Ordinal);
        if (start < 0)
        {
            throw new InvalidOperationException($"README.md has no section `{Heading}`");
        }

        var end = readme.IndexOf("\n## ", start + Heading.Length, StringComparison.Ordinal);
        return end < 0 ? readme[start..] : readme[start..end];
    }

    /// <summary>Lines of the section's code blocks (shell commands as a reader types them; continuations joined).</summary>
    public static IReadOnlyList<string> ReadmeCommands()
    {
        var commands = new List<string>();
        var inBlock = false;
        var pending = "";
        foreach (var raw in ReadmeSection().Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith("```", StringComparison.Ordinal))
            {
                inBlock = !inBlock;
                continue;
            }

            if (!inBlock || line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            pending += line.TrimEnd('\\').Trim() + " ";
            if (!line.EndsWith('\\'))
            {
                var comment = pending.IndexOf(" # ", StringComparison.Ordinal);
                commands.Add((comment < 0 ? pending : pending[..comment]).Trim());
                pending = "";
            }
        }

        return commands;
    }

    /// <summary>`docker build -f DOCKERFILE -t IMAGE .` lines: Dockerfile path to image.</summary>
    public IReadOnlyList<(string Dockerfile, string Image)> Builds() =>
        DockerBuild().Matches(Text).Select(m => (m.Groups["file"].Value, m.Groups["image"].Value)).ToList();

    /// <summary>Images named by `kind load docker-image … --name CLUSTER`, with the cluster they go to.</summary>
    public IReadOnlyList<(string Image, string Cluster)> KindLoads() =>
        KindLoad().Matches(Text).SelectMany(m => m.Groups["images"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(image => (image, m.Groups["cluster"].Success ? m.Groups["cluster"].Value : "kind"))).ToList();

    /// <summary>`kind create cluster --name NAME --config FILE`.</summary>
    public (string Cluster, string Config)? KindCreate() =>
        KindCreateCluster().Match(Text) is { Success: true } m ? (m.Groups["cluster"].Value, m.Groups["config"].Value) : null;

    /// <summary>Images the walkthrough runs directly (`docker run … IMAGE`, `kubectl run … --image=IMAGE`).</summary>
    public IReadOnlyList<string> RunImages() =>
        RunImage().Matches(Text).Select(m => m.Groups["image"].Value).ToList();

    [GeneratedRegex(@"docker build\s+-f\s+(?<file>\S+)\s+-t\s+(?<image>\S+)\s+\.")]
    private static partial Regex DockerBuild();

    [GeneratedRegex(@"kind load docker-image\s+(?<images>(?:[^\s-]\S*\s+)+?)(?:--name\s+(?<cluster>\S+))?\s*$", RegexOptions.Multiline)]
    private static partial Regex KindLoad();

    [GeneratedRegex(@"kind create cluster\s+--name\s+(?<cluster>\S+)\s+--config\s+(?<config>\S+)")]
    private static partial Regex KindCreateCluster();

    [GeneratedRegex(@"(?:--image[= ](?<image>chat-[\w.:/-]+))|(?:docker run\b[^\n]*?\s(?<image>chat-[\w.-]+:[\w.-]+))")]
    private static partial Regex RunImage();
}
