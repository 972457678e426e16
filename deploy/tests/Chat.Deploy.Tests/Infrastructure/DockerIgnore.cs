using System.Text.RegularExpressions;

namespace Chat.Deploy.Tests.Infrastructure;

/// <summary>.dockerignore rules: a path is left out of the build context when the last rule matching it or one of its folders excludes it.</summary>
public sealed class DockerIgnore(IEnumerable<string> lines)
{
    private readonly List<(Regex Pattern, bool Exclude)> _rules = lines
        .Select(l => l.Trim())
        .Where(l => l.Length > 0 && !l.StartsWith('#'))
        .Select(l => (ToRegex(l.TrimStart('!').TrimStart('/').TrimEnd('/')), !l.StartsWith('!')))
        .ToList();

    public static DockerIgnore Load() => new(File.ReadAllLines(Repository.Path(".dockerignore")));

    public bool Ignores(string path)
    {
        var segments = path.Trim('/').Split('/');
        var ignored = false;
        for (var length = 1; length <= segments.Length; length++)
        {
            var prefix = string.Join('/', segments[..length]);
            foreach (var (pattern, exclude) in _rules)
            {
                if (pattern.IsMatch(prefix))
                {
                    ignored = exclude;
                }
            }
        }

        return ignored;
    }

    private static Regex ToRegex(string pattern)
    {
        var regex = Regex.Escape(pattern)
            .Replace(@"\*\*/", "(.*/)?", StringComparison.Ordinal)
            .Replace(@"\*\*", ".*", StringComparison.Ordinal)
            .Replace(@"\*", "[^/]*", StringComparison.Ordinal)
            .Replace(@"\?", "[^/]", StringComparison.Ordinal);
        return new Regex("^" + regex + "$", RegexOptions.CultureInvariant);
    }
}
