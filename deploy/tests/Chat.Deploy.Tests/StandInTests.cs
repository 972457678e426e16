using Chat.Deploy.Tests.Checks;
using Chat.Deploy.Tests.Infrastructure;

namespace Chat.Deploy.Tests;

/// <summary>The compose smoke test has a stand-in for every image the Dockerfiles and compose pull.</summary>
public sealed class StandInTests
{
    private static readonly string ImagesTsv = File.ReadAllText(Path.Combine(StandIns.Folder, "images.tsv"));

    [Fact]
    public void Every_pulled_image_has_a_stand_in_that_builds_on_the_base()
    {
        Assert.Empty(StandIns.Find(ExternalImages(), ImagesTsv, ReadStandInFile));
    }

    [Fact]
    public void The_images_are_the_dockerfiles_and_composes_own()
    {
        var images = ExternalImages().ToList();

        Assert.Contains("mcr.microsoft.com/dotnet/sdk:10.0", images);
        Assert.Contains("redis:7.4-alpine", images);
        Assert.DoesNotContain("node", images);
        Assert.DoesNotContain(images, i => i.StartsWith("chat-", StringComparison.Ordinal));
    }

    [Fact]
    public void An_image_without_a_stand_in_or_a_stand_in_without_its_dockerfile_is_caught()
    {
        var withoutRedis = string.Join('\n', ImagesTsv.Split('\n').Where(l => !l.StartsWith("redis:", StringComparison.Ordinal)));
        var missingFile = ImagesTsv.Replace("prometheus.Dockerfile", "prom.Dockerfile", StringComparison.Ordinal);

        Assert.Contains(StandIns.Find(ExternalImages(), withoutRedis, ReadStandInFile), p => p.StartsWith("redis:7.4-alpine has no stand-in", StringComparison.Ordinal));
        Assert.Contains(StandIns.Find(ExternalImages(), missingFile, ReadStandInFile), p => p.Contains("prom.Dockerfile does not exist"));
    }

    private static IEnumerable<string> ExternalImages() =>
        StandIns.ExternalImages(Repository.Images.Select(i => Dockerfile.Parse(Repository.Read(i.Component, "Dockerfile"))), Rendered.Compose());

    private static string? ReadStandInFile(string name)
    {
        var path = Path.Combine(StandIns.Folder, name);
        return File.Exists(path) ? File.ReadAllText(path) : null;
    }
}
