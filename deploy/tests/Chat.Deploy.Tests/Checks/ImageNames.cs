using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Chat.Deploy.Tests.Infrastructure;

namespace Chat.Deploy.Tests.Checks;

/// <summary>
/// One name per image everywhere: the walkthrough builds each Dockerfile under the name its header says, compose
/// builds the same Dockerfile under the same name, every project image the k8s folder runs is one the walkthrough
/// builds and `kind load`s into the cluster it created (else the pod is stuck in ErrImagePull), and third-party
/// images (Redis, Prometheus) carry the same tag in compose and k8s.
/// </summary>
public static partial class ImageNames
{
    /// <summary>Images this repository builds are named chat-* (under whatever prefix); anything else comes from a registry.</summary>
    public static bool IsProjectImage(string image) => Repository(image).Split('/')[^1].StartsWith("chat-", StringComparison.Ordinal);

    public static IReadOnlyList<string> Find(JsonArray objects, JsonObject compose, Walkthrough walkthrough, IReadOnlyDictionary<string, string> dockerfileHeaders)
    {
        var problems = new List<string>();
        var builds = walkthrough.Builds();
        foreach (var differing in builds.GroupBy(b => b.Dockerfile).Where(g => g.Select(b => b.Image).Distinct().Count() > 1))
        {
            problems.Add($"README and deploy/kind.sh build {differing.Key} under different names: {string.Join(", ", differing.Select(b => b.Image).Distinct())}");
        }

        var built = builds.DistinctBy(b => b.Dockerfile).ToDictionary(b => b.Dockerfile, b => b.Image);
        foreach (var (dockerfile, image) in dockerfileHeaders)
        {
            if (built.TryGetValue(dockerfile, out var readmeImage) && readmeImage != image)
            {
                problems.Add($"README builds {dockerfile} as {readmeImage}, its header says {image}");
            }
        }

        foreach (var (name, service) in compose["services"]?.AsObject() ?? [])
        {
            var dockerfile = service?["build"]?["dockerfile"]?.ToString();
            var image = service?["image"]?.ToString();
            if (dockerfile is not null && dockerfileHeaders.TryGetValue(dockerfile, out var expected) && image != expected)
            {
                problems.Add($"compose service {name} builds {dockerfile} as {image}, the Dockerfile and README call it {expected}");
            }
        }

        var create = walkthrough.KindCreate();
        var loaded = walkthrough.KindLoads();
        foreach (var (image, cluster) in loaded.Where(l => create is not null && l.Cluster != create.Value.Cluster))
        {
            problems.Add($"README loads {image} into kind cluster {cluster}, but creates cluster {create!.Value.Cluster}");
        }

        var k8sImages = objects.WorkloadsOf().SelectMany(w => w.PodTemplate().Containers().Select(c => (Workload: w, Image: c["image"]?.ToString() ?? ""))).ToList();
        foreach (var (workload, image) in k8sImages.Where(i => IsProjectImage(i.Image)))
        {
            if (!built.ContainsValue(image))
            {
                problems.Add($"{workload.Id()} runs {image}, which the README does not build");
            }

            if (!loaded.Any(l => l.Image == image))
            {
                problems.Add($"{workload.Id()} runs {image}, which the README does not `kind load`");
            }

            var pull = workload.PodTemplate().Containers().First(c => c["image"]?.ToString() == image)["imagePullPolicy"]?.ToString();
            if (pull == "Always" || (pull is null && (image.EndsWith(":latest", StringComparison.Ordinal) || !image.Contains(':'))))
            {
                problems.Add($"{workload.Id()} would pull {image} from a registry instead of using the one kind loaded");
            }
        }

        foreach (var image in loaded.Select(l => l.Image).Concat(walkthrough.RunImages()).Where(i => !built.ContainsValue(i)))
        {
            problems.Add($"README uses {image} but builds no image of that name");
        }

        var composeImages = (compose["services"]?.AsObject() ?? []).Select(s => s.Value?["image"]?.ToString()).OfType<string>();
        var thirdParty = k8sImages.Select(i => i.Image).Concat(composeImages).Where(i => !IsProjectImage(i)).Distinct();
        foreach (var repository in thirdParty.GroupBy(Repository).Where(g => g.Count() > 1))
        {
            problems.Add($"{repository.Key} is used with different tags: {string.Join(", ", repository)}");
        }

        return problems;
    }

    /// <summary>The `-t NAME` of the build command in each Dockerfile's header comment.</summary>
    public static IReadOnlyDictionary<string, string> DockerfileHeaders() =>
        Infrastructure.Repository.Images.ToDictionary(
            i => $"{i.Component}/Dockerfile",
            i => HeaderTag().Match(Infrastructure.Repository.Read(i.Component, "Dockerfile")) is { Success: true } m ? m.Groups["image"].Value : "");

    private static string Repository(string image) => image.Split('@')[0].Split(':')[0];

    [GeneratedRegex(@"^#.*docker build\s+-f\s+\S+\s+-t\s+(?<image>\S+)", RegexOptions.Multiline)]
    private static partial Regex HeaderTag();
}
