using System.Text.RegularExpressions;
using Chat.Deploy.Tests.Infrastructure;

namespace Chat.Deploy.Tests.Checks;

/// <summary>
/// What a Dockerfile's build can only get wrong without Docker to tell: the build stage copies every project the
/// published one references (its project file before `dotnet restore`, its folder before `dotnet publish`), the
/// shared build files, and nothing .dockerignore leaves out; it has Node.js when a project builds npm assets; the
/// final stage is a runtime image that copies the publish output, runs the project's own assembly as a non-root
/// user, and exposes the port it listens on (ASPNETCORE_HTTP_PORTS) and the one its HEALTHCHECK probes, without
/// ASPNETCORE_URLS on top of the base image's ASPNETCORE_HTTP_PORTS (both make every start log "Overriding
/// HTTP_PORTS"). And it builds with the legacy builder and with BuildKit alike: no `# syntax=` directive, which makes
/// BuildKit fetch a frontend image from a registry before it builds anything.
/// </summary>
public static partial class Dockerfiles
{
    private static readonly string[] SharedBuildFiles = ["global.json", "Directory.Build.props", "Directory.Packages.props"];

    /// <summary>Problems of the Dockerfile's text that the parsed instructions no longer show (parser directives are comments).</summary>
    public static IReadOnlyList<string> BuilderProblems(string component, string text) =>
        SyntaxDirectivePattern().IsMatch(text)
            ? [$"{component}/Dockerfile: a `# syntax=` directive makes BuildKit fetch a frontend image from a registry first (fails offline); the legacy builder ignores it"]
            : [];

    public static DockerStage? BuildStage(Dockerfile dockerfile) =>
        dockerfile.Stages.FirstOrDefault(s => s.All("RUN").Any(r => r.Arguments.Contains("dotnet publish", StringComparison.Ordinal)));

    /// <summary>The `dotnet …` commands of the build stage, in order, as they run in the image's WORKDIR (the repository root).</summary>
    public static IReadOnlyList<string> DotnetCommands(Dockerfile dockerfile) =>
        BuildStage(dockerfile)?.All("RUN").Select(r => r.Arguments).Where(a => a.StartsWith("dotnet ", StringComparison.Ordinal)).ToList() ?? [];

    public static IReadOnlyList<string> Find(string component, string project, Dockerfile dockerfile, DockerIgnore ignore)
    {
        var problems = new List<string>();
        var build = BuildStage(dockerfile);
        if (build is null)
        {
            return [$"{component}/Dockerfile: no stage runs `dotnet publish`"];
        }

        var instructions = build.Instructions.ToList();
        var publish = instructions.FindIndex(i => i.Keyword == "RUN" && i.Arguments.Contains("dotnet publish", StringComparison.Ordinal));
        var restore = instructions.FindIndex(i => i.Keyword == "RUN" && i.Arguments.Contains("dotnet restore", StringComparison.Ordinal));
        var publishCommand = PublishPattern().Match(instructions[publish].Arguments);
        var projectFile = $"{component}/src/{project}/{project}.csproj";
        if (publishCommand.Groups["project"].Value != projectFile)
        {
            problems.Add($"{component}/Dockerfile publishes {publishCommand.Groups["project"].Value}, not {projectFile}");
            return problems;
        }

        var copies = instructions.Select((instruction, index) => (instruction, index))
            .Where(c => c.instruction.Keyword == "COPY" && Dockerfile.CopyParts(c.instruction).From is null)
            .Select(c => (Sources: Dockerfile.CopyParts(c.instruction).Sources, c.index))
            .ToList();
        bool CopiedBefore(string path, int before) =>
            copies.Any(c => c.index < before && c.Sources.Any(s => s is "." or "./" || s.TrimEnd('/') == path || path.StartsWith(s.TrimEnd('/') + "/", StringComparison.Ordinal)));

        var restoreAt = restore >= 0 ? restore : publish;
        foreach (var file in SharedBuildFiles.Where(f => !CopiedBefore(f, restoreAt)))
        {
            problems.Add($"{component}/Dockerfile: {file} is not copied before the restore");
        }

        var closure = ProjectGraph.Closure(projectFile);
        foreach (var referenced in closure)
        {
            var folder = Path.GetDirectoryName(referenced)!.Replace('\\', '/');
            if (!CopiedBefore(referenced, restoreAt))
            {
                problems.Add($"{component}/Dockerfile: {referenced} is not copied before the restore");
            }

            if (!CopiedBefore(folder + "/Program.cs", publish))
            {
                problems.Add($"{component}/Dockerfile: the sources of {folder} are not copied before the publish");
            }

            if (ignore.Ignores(referenced))
            {
                problems.Add($"{component}/Dockerfile: .dockerignore leaves {referenced} out of the build context");
            }

            if (BuildsNpmAssets(referenced) && !HasNode(instructions.Take(publish)))
            {
                problems.Add($"{component}/Dockerfile: {folder} builds npm assets but the build stage has no Node.js");
            }
        }

        foreach (var source in copies.SelectMany(c => c.Sources).Where(ignore.Ignores))
        {
            problems.Add($"{component}/Dockerfile: COPY {source}, which .dockerignore leaves out of the build context");
        }

        problems.AddRange(FinalStageProblems(component, dockerfile, build, publishCommand.Groups["output"].Value, ProjectGraph.AssemblyName(projectFile)));
        return problems;
    }

    private static IEnumerable<string> FinalStageProblems(string component, Dockerfile dockerfile, DockerStage build, string output, string assembly)
    {
        var final = dockerfile.Final;
        var at = $"{component}/Dockerfile final stage";
        if (!Regex.IsMatch(final.BaseImage, @"^mcr\.microsoft\.com/dotnet/(aspnet|runtime|runtime-deps):"))
        {
            yield return $"{at}: {final.BaseImage} is not a .NET runtime image";
        }

        if (!final.All("COPY").Any(c => Dockerfile.CopyParts(c) is var parts && parts.From == build.Name && parts.Sources.Any(s => s.TrimEnd('/') == output.TrimEnd('/'))))
        {
            yield return $"{at}: does not copy the publish output {output} from stage {build.Name}";
        }

        if (!final.All("ENTRYPOINT").Any(e => e.Arguments.Contains(assembly + ".dll", StringComparison.Ordinal)))
        {
            yield return $"{at}: ENTRYPOINT does not run {assembly}.dll";
        }

        var user = final.All("USER").LastOrDefault()?.Arguments;
        if (user is null or "root" or "0" or "0:0")
        {
            yield return $"{at}: runs as root (no non-root USER)";
        }

        var environment = final.All("ENV").Select(e => e.Arguments).ToList();
        if (environment.Any(e => e.Contains("ASPNETCORE_URLS=", StringComparison.Ordinal)))
        {
            yield return $"{at}: sets ASPNETCORE_URLS on top of the base image's ASPNETCORE_HTTP_PORTS (every start logs \"Overriding HTTP_PORTS\"); set ASPNETCORE_HTTP_PORTS";
        }

        var listens = environment.SelectMany(e => UrlPortPattern().Matches(e).Concat(HttpPortsPattern().Matches(e))).Select(m => m.Groups["port"].Value).ToHashSet();
        var exposed = final.All("EXPOSE").SelectMany(e => e.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Select(p => p.Split('/')[0]).ToHashSet();
        var checkedPorts = final.All("HEALTHCHECK").SelectMany(h => HealthPortPattern().Matches(h.Arguments)).Select(m => m.Groups["port"].Value).ToHashSet();
        foreach (var port in listens.Where(p => !exposed.Contains(p)))
        {
            yield return $"{at}: listens on {port} but does not EXPOSE it";
        }

        foreach (var port in checkedPorts.Where(p => !exposed.Contains(p)))
        {
            yield return $"{at}: HEALTHCHECK probes port {port}, which the image does not EXPOSE";
        }
    }

    /// <summary>
    /// A shared framework the published app needs (its runtimeconfig.json) that the final image lacks: the runtime
    /// image has Microsoft.NETCore.App only, the aspnet image Microsoft.AspNetCore.App too. Null when all are there.
    /// </summary>
    public static string? MissingFramework(string runtimeConfigJson, string baseImage)
    {
        var options = System.Text.Json.Nodes.JsonNode.Parse(runtimeConfigJson)?["runtimeOptions"];
        var needed = (options?["frameworks"]?.AsArray() ?? []).Append(options?["framework"]).Select(f => f?["name"]?.ToString()).OfType<string>();
        var available = baseImage.Contains("/dotnet/aspnet:", StringComparison.Ordinal)
            ? new[] { "Microsoft.NETCore.App", "Microsoft.AspNetCore.App" }
            : ["Microsoft.NETCore.App"];
        var missing = needed.Except(available).ToList();
        return missing.Count == 0 ? null : $"{baseImage} lacks {string.Join(", ", missing)}";
    }

    /// <summary>A package.json beside the project, or a build target that runs npm.</summary>
    private static bool BuildsNpmAssets(string projectFile) =>
        File.Exists(Repository.Path(Path.GetDirectoryName(projectFile)!, "package.json"))
        || NpmCommandPattern().IsMatch(File.ReadAllText(Repository.Path(projectFile)));

    private static bool HasNode(IEnumerable<DockerInstruction> instructions) => instructions.Any(i =>
        (i.Keyword == "COPY" && Dockerfile.CopyParts(i) is { From: not null } parts && parts.Sources.Any(s => s.EndsWith("/bin/node", StringComparison.Ordinal)))
        || (i.Keyword == "RUN" && NodeInstallPattern().IsMatch(i.Arguments)));

    [GeneratedRegex(@"dotnet publish\s+(?<project>\S+\.csproj)\b.*?\s-o\s+(?<output>\S+)")]
    private static partial Regex PublishPattern();

    [GeneratedRegex(@"https?://[^\s:]+:(?<port>\d+)")]
    private static partial Regex UrlPortPattern();

    [GeneratedRegex(@"\bASPNETCORE_HTTP_PORTS=(?<port>\d+)")]
    private static partial Regex HttpPortsPattern();

    [GeneratedRegex(@"^#\s*syntax\s*=", RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    private static partial Regex SyntaxDirectivePattern();

    [GeneratedRegex(@"(127\.0\.0\.1|localhost):(?<port>\d+)")]
    private static partial Regex HealthPortPattern();

    [GeneratedRegex(@"\bnpm (ci|install|run)\b")]
    private static partial Regex NpmCommandPattern();

    [GeneratedRegex(@"install\b.*\bnodejs\b")]
    private static partial Regex NodeInstallPattern();
}
