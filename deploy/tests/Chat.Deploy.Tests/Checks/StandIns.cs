using System.Text.Json.Nodes;
using Chat.Deploy.Tests.Infrastructure;

namespace Chat.Deploy.Tests.Checks;

/// <summary>
/// The compose smoke test's stand-ins (deploy/compose/stand-ins/images.tsv): every base image a Dockerfile builds on
/// and every image compose runs without building it has a stand-in, whose Dockerfile exists and builds on the
/// debootstrapped base (FROM ${BASE}), so that the smoke test runs where the registries cannot be reached.
/// </summary>
public static class StandIns
{
    public static readonly string Folder = Repository.Path("deploy", "compose", "stand-ins");

    /// <summary>images.tsv: image → (stand-in Dockerfile, context kind).</summary>
    public static IReadOnlyDictionary<string, (string Dockerfile, string Context)> Parse(string imagesTsv) =>
        imagesTsv.Split('\n')
            .Where(l => l.Trim().Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split('\t'))
            .ToDictionary(f => f[0], f => (f.Length > 1 ? f[1] : "", f.Length > 2 ? f[2] : ""));

    /// <summary>Base images of the Dockerfiles (not their own stages) and the images compose runs without a build.</summary>
    public static IEnumerable<string> ExternalImages(IEnumerable<Dockerfile> dockerfiles, JsonObject compose) =>
        dockerfiles.SelectMany(d => d.Stages.Where((stage, i) => !d.Stages.Take(i).Any(s => s.Name == stage.BaseImage)).Select(s => s.BaseImage))
            .Concat((compose["services"]?.AsObject() ?? []).Where(s => s.Value?["build"] is null).Select(s => s.Value?["image"]?.ToString() ?? ""))
            .Distinct();

    public static IReadOnlyList<string> Find(IEnumerable<string> externalImages, string imagesTsv, Func<string, string?> readStandInFile)
    {
        var problems = new List<string>();
        var standIns = Parse(imagesTsv);
        foreach (var image in externalImages.Where(i => !standIns.ContainsKey(i)))
        {
            problems.Add($"{image} has no stand-in in deploy/compose/stand-ins/images.tsv: the smoke test cannot run without its registry");
        }

        foreach (var (image, (dockerfile, context)) in standIns)
        {
            if (context is not ("sdk" or "aspnet" or "runtime" or "node" or "plain"))
            {
                problems.Add($"stand-in of {image}: unknown context '{context}' (build.sh stages sdk, aspnet, runtime, node or plain)");
            }

            if (readStandInFile(dockerfile) is not { } text)
            {
                problems.Add($"stand-in of {image}: {dockerfile} does not exist");
            }
            else if (Dockerfile.Parse(text).Stages is not [{ BaseImage: "${BASE}" }])
            {
                problems.Add($"stand-in of {image}: {dockerfile} does not build on the debootstrapped base (one stage, FROM ${{BASE}})");
            }
        }

        return problems;
    }
}
