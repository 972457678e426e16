using System.Text.RegularExpressions;

namespace Chat.Testing.Kubernetes.Metrics;

/// <summary>One relabel_configs entry of a Prometheus scrape config.</summary>
public sealed record RelabelRule(IReadOnlyList<string> SourceLabels, string Separator, string Regex, string Replacement, string? TargetLabel, string Action);

/// <summary>Prometheus relabeling: the actions replace (default), keep, drop and labelmap, with anchored regexes.</summary>
public static class Relabeling
{
    /// <summary>The relabeled labels, or null when the target is dropped.</summary>
    public static Dictionary<string, string>? Apply(IReadOnlyDictionary<string, string> labels, IEnumerable<RelabelRule> rules)
    {
        var result = new Dictionary<string, string>(labels, StringComparer.Ordinal);
        foreach (var rule in rules)
        {
            var regex = new Regex("^(?:" + rule.Regex + ")$");
            var value = string.Join(rule.Separator, rule.SourceLabels.Select(l => result.GetValueOrDefault(l) ?? ""));
            switch (rule.Action)
            {
                case "keep" when !regex.IsMatch(value):
                case "drop" when regex.IsMatch(value):
                    return null;
                case "replace" when rule.TargetLabel is not null:
                    var match = regex.Match(value);
                    if (match.Success)
                    {
                        var replaced = match.Result(rule.Replacement.Replace("${", "${", StringComparison.Ordinal));
                        if (replaced.Length == 0)
                        {
                            result.Remove(rule.TargetLabel);
                        }
                        else
                        {
                            result[rule.TargetLabel] = replaced;
                        }
                    }

                    break;
                case "labelmap":
                    foreach (var (key, labelValue) in result.ToList())
                    {
                        if (regex.Match(key) is { Success: true } m)
                        {
                            result[m.Result(rule.Replacement)] = labelValue;
                        }
                    }

                    break;
            }
        }

        return result;
    }
}
