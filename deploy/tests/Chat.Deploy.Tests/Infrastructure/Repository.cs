using Chat.Testing;

namespace Chat.Deploy.Tests.Infrastructure;

/// <summary>The deploy files of the checkout under test.</summary>
public static class Repository
{
    public static string Path(params string[] parts) => System.IO.Path.Combine([RepoPaths.Root, .. parts]);

    public static string Read(params string[] parts) => File.ReadAllText(Path(parts));

    public static string KustomizeFolder => Path("k8s");

    public static string ComposeFile => Path("docker-compose.yml");

    public static string SchemaFolder => Path("deploy", "tests", "Chat.Deploy.Tests", "schema");

    /// <summary>The component folders that ship an image, with the project each Dockerfile publishes.</summary>
    public static readonly (string Component, string Project)[] Images =
    [
        ("chat-server", "Chat.Server"),
        ("gateway", "Chat.Gateway"),
        ("ingress-controller", "Chat.IngressController"),
        ("loadtest", "Chat.LoadTest"),
    ];
}
