using System.Text.RegularExpressions;

namespace Chat.Deploy.Tests.Infrastructure;

/// <summary>
/// deploy/kind.sh and deploy/versions.env: the script's subcommands, the versions it pins, and its text with the
/// variables expanded (versions, its own constants, and the per-build image tag read as "dev", the tag the manifests
/// name), so that its commands can be compared with the README's and the manifests'.
/// </summary>
public static partial class KindScript
{
    public static string Text => Repository.Read("deploy", "kind.sh");

    public static IReadOnlyDictionary<string, string> Versions =>
        Repository.Read("deploy", "versions.env").Split('\n')
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#') && l.Contains('='))
            .ToDictionary(l => l[..l.IndexOf('=')], l => l[(l.IndexOf('=') + 1)..].Trim('"'));

    /// <summary>The words of the `case` at the end of the script: up, smoke, load, down.</summary>
    public static IReadOnlyList<string> Subcommands =>
        [.. CaseArm().Matches(Text[Text.LastIndexOf("case \"${1:-}\" in", StringComparison.Ordinal)..]).Select(m => m.Groups["name"].Value)];

    /// <summary>The script with $VAR and ${VAR} replaced and quotes dropped; the build tag is "dev".</summary>
    public static string Expanded
    {
        get
        {
            var values = new Dictionary<string, string>(Versions) { ["tag"] = "dev" };
            foreach (Match constant in Constant().Matches(Text))
            {
                values.TryAdd(constant.Groups["name"].Value, constant.Groups["value"].Value);
            }

            var text = Variable().Replace(Text, m => values.TryGetValue(m.Groups["name"].Value, out var v) ? v : m.Value);
            return text.Replace("\"", "", StringComparison.Ordinal);
        }
    }

    [GeneratedRegex(@"^\s+(?<name>[a-z]+)\) ", RegexOptions.Multiline)]
    private static partial Regex CaseArm();

    [GeneratedRegex(@"^(?<name>[A-Z_]+)=(?<value>[^\s$]+)$", RegexOptions.Multiline)]
    private static partial Regex Constant();

    [GeneratedRegex(@"\$\{?(?<name>[A-Za-z_][A-Za-z0-9_]*)\}?")]
    private static partial Regex Variable();
}
