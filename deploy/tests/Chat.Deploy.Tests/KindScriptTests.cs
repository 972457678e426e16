using System.Text.RegularExpressions;
using Chat.Deploy.Tests.Infrastructure;

namespace Chat.Deploy.Tests;

/// <summary>
/// deploy/kind.sh and the README's kind walkthrough cannot drift: the walkthrough's commands are the script's
/// subcommands, or commands the script itself runs, or read-only kubectl; versions are pinned once, in
/// deploy/versions.env, and fit together.
/// </summary>
public sealed partial class KindScriptTests
{
    /// <summary>KEDA releases and the Kubernetes minors they are tested with (KEDA's compatibility table).</summary>
    private static readonly Dictionary<string, (int Min, int Max)> KedaKubernetes = new()
    {
        ["2.16"] = (29, 31),
        ["2.17"] = (30, 32),
        ["2.18"] = (31, 33),
    };

    [Fact]
    public async Task The_script_is_valid_bash()
    {
        var result = await Command.RunAsync("bash", ["-n", Repository.Path("deploy", "kind.sh")], timeout: TimeSpan.FromSeconds(30));

        Assert.True(result.Succeeded, result.ToString());
    }

    [Fact]
    public void Every_kind_sh_subcommand_of_the_readme_exists_and_the_readme_shows_each()
    {
        var used = ScriptCalls().Matches(Walkthrough.ReadmeSection()).Select(m => m.Groups["sub"].Value).ToHashSet();

        Assert.Subset(KindScript.Subcommands.ToHashSet(), used);
        Assert.Equal(["down", "load", "smoke", "up"], KindScript.Subcommands.Order());
    }

    [Fact]
    public void Every_command_of_the_readme_walkthrough_is_the_scripts_or_only_reads()
    {
        var script = Normalize(KindScript.Expanded);
        var drifted = Walkthrough.ReadmeCommands()
            .Where(c => Regex.IsMatch(c, @"^(kind|kubectl|docker|helm|curl)\b") && !IsReadOnly(c))
            .Where(c => !c.StartsWith("docker compose", StringComparison.Ordinal) && !c.StartsWith("docker build", StringComparison.Ordinal) && !c.StartsWith("docker-compose", StringComparison.Ordinal))
            .Where(c => !script.Contains(Normalize(c), StringComparison.Ordinal))
            .ToList();

        Assert.Empty(drifted);
    }

    [Fact]
    public void No_command_watches_two_kinds_at_once()
    {
        var both = Walkthrough.ReadmeCommands().Concat(KindScript.Text.Split('\n'))
            .Where(c => Regex.IsMatch(c, @"kubectl\b.*\bget\s+\S*,\S*.*\s(-w|--watch)\b"))
            .ToList();

        Assert.Empty(both);
    }

    [Fact]
    public void Versions_are_pinned_once_and_fit_together()
    {
        var versions = KindScript.Versions;
        var minor = int.Parse(Regex.Match(versions["KIND_NODE_IMAGE"], @":v1\.(\d+)\.").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var keda = string.Join('.', versions["KEDA_VERSION"].Split('.').Take(2));

        Assert.True(KedaKubernetes.TryGetValue(keda, out var range), $"KEDA {keda} is not in the compatibility table");
        Assert.InRange(minor, range.Min, range.Max);
        Assert.Matches(@"^\d+\.\d+\.\d+$", versions["METRICS_SERVER_VERSION"]);
        Assert.Matches(@"^\d+\.\d+\.\d+$", versions["CLOUD_PROVIDER_KIND_VERSION"]);
        Assert.True(Version.Parse(versions["KIND_MIN_VERSION"]) >= new Version(0, 23), "preStop.sleep needs Kubernetes 1.30, kind 0.23 or newer");
        Assert.DoesNotContain("latest", KindScript.Text, StringComparison.Ordinal);
        foreach (var (name, value) in versions)
        {
            Assert.DoesNotContain(value, KindScript.Text.Replace("source deploy/versions.env", "", StringComparison.Ordinal), StringComparison.Ordinal);
            Assert.True(Walkthrough.ReadmeSection().Contains(value, StringComparison.Ordinal), $"README does not say {name} {value}");
        }
    }

    [Fact]
    public void Images_are_tagged_per_build_so_that_apply_rolls()
    {
        var expanded = KindScript.Text;

        Assert.Contains("build_tag", expanded, StringComparison.Ordinal);
        Assert.Contains("newTag: \"$tag\"", expanded, StringComparison.Ordinal);
        Assert.DoesNotContain(":dev", expanded, StringComparison.Ordinal);
    }

    private static bool IsReadOnly(string command) =>
        Regex.IsMatch(command, @"^kubectl\s+(-n\s+\S+\s+)?(get|describe|logs|port-forward|top|rollout status|wait)\b")
        || command.StartsWith("curl", StringComparison.Ordinal);

    private static string Normalize(string text) => Regex.Replace(text.Replace("\\\n", " ", StringComparison.Ordinal).Replace("'", "", StringComparison.Ordinal), @"\s+", " ");

    [GeneratedRegex(@"deploy/kind\.sh\s+(?<sub>[a-z]+)")]
    private static partial Regex ScriptCalls();
}
