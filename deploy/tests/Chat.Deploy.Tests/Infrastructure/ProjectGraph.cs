using System.Xml.Linq;

namespace Chat.Deploy.Tests.Infrastructure;

/// <summary>A project and every project it references, transitively, as paths relative to the repository root.</summary>
public static class ProjectGraph
{
    public static IReadOnlyList<string> Closure(string projectPath)
    {
        var seen = new List<string>();
        var pending = new Stack<string>([Normalize(projectPath)]);
        while (pending.TryPop(out var project))
        {
            if (seen.Contains(project))
            {
                continue;
            }

            seen.Add(project);
            var document = XDocument.Load(Repository.Path(project));
            foreach (var reference in document.Descendants("ProjectReference").Select(r => r.Attribute("Include")?.Value).OfType<string>())
            {
                pending.Push(Normalize(Path.Combine(Path.GetDirectoryName(project)!, reference.Replace('\\', '/'))));
            }
        }

        return seen;
    }

    /// <summary>The assembly a project builds: its AssemblyName, or the project file's name.</summary>
    public static string AssemblyName(string projectPath) =>
        XDocument.Load(Repository.Path(projectPath)).Descendants("AssemblyName").FirstOrDefault()?.Value
        ?? Path.GetFileNameWithoutExtension(projectPath);

    private static string Normalize(string path) =>
        Path.GetRelativePath(Chat.Testing.RepoPaths.Root, Path.GetFullPath(Path.Combine(Chat.Testing.RepoPaths.Root, path))).Replace('\\', '/');
}
