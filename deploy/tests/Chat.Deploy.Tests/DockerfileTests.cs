using Chat.Deploy.Tests.Checks;
using Chat.Deploy.Tests.Infrastructure;

namespace Chat.Deploy.Tests;

/// <summary>Each Dockerfile checked statically and its build stage replayed without Docker.</summary>
public sealed class DockerfileTests
{
    public static TheoryData<string, string> Images()
    {
        var data = new TheoryData<string, string>();
        foreach (var (component, project) in Repository.Images)
        {
            data.Add(component, project);
        }

        return data;
    }

    public static TheoryData<string> Components() => [.. Repository.Images.Select(i => i.Component)];

    [Theory]
    [MemberData(nameof(Images))]
    public void The_dockerfile_copies_what_its_project_needs_and_runs_it_as_non_root(string component, string project)
    {
        Assert.Empty(Dockerfiles.Find(component, project, Load(component), DockerIgnore.Load()));
    }

    [Theory]
    [MemberData(nameof(Components))]
    public void The_dockerfile_builds_with_the_legacy_builder_and_with_buildkit_alike(string component)
    {
        Assert.Empty(Dockerfiles.BuilderProblems(component, Repository.Read(component, "Dockerfile")));
    }

    [Fact]
    public void A_syntax_directive_is_caught()
    {
        var text = "# syntax=docker/dockerfile:1\n" + Repository.Read("gateway", "Dockerfile");

        Assert.Contains(Dockerfiles.BuilderProblems("gateway", text), p => p.Contains("makes BuildKit fetch a frontend image"));
    }

    [Fact]
    public void Aspnetcore_urls_on_top_of_the_base_images_http_ports_is_caught()
    {
        var broken = Dockerfile.Parse(Repository.Read("chat-server", "Dockerfile")
            .Replace("ENV ASPNETCORE_HTTP_PORTS=8080", "ENV ASPNETCORE_URLS=http://+:8080", StringComparison.Ordinal));

        var problems = Dockerfiles.Find("chat-server", "Chat.Server", broken, DockerIgnore.Load());

        Assert.Contains(problems, p => p.Contains("sets ASPNETCORE_URLS on top of the base image's ASPNETCORE_HTTP_PORTS"));
    }

    /// <summary>
    /// Runs the build stage's `dotnet restore` and `dotnet publish` as written, from the repository root (the image's
    /// WORKDIR holds the same tree), publishing into a scratch folder instead of /app; then the ENTRYPOINT's assembly
    /// must be in the output.
    /// </summary>
    [Theory]
    [MemberData(nameof(Images))]
    public async Task The_build_stage_commands_succeed(string component, string project)
    {
        var dockerfile = Load(component);
        var commands = Dockerfiles.DotnetCommands(dockerfile);
        Assert.Contains(commands, c => c.StartsWith("dotnet publish ", StringComparison.Ordinal));
        using var output = TempFolder.Create();

        foreach (var command in commands)
        {
            var arguments = command.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
                .Select(a => a == "/app" ? output.Path : a)
                .Append("-nologo");
            var result = await Command.RunAsync(Tools.Dotnet, arguments, timeout: TimeSpan.FromMinutes(4));
            Assert.True(result.Succeeded, result.ToString());
        }

        Assert.True(File.Exists(Path.Combine(output.Path, project + ".dll")), $"{project}.dll is not in the publish output");
        Assert.Contains(dockerfile.Final.All("ENTRYPOINT"), e => e.Arguments.Contains(project + ".dll", StringComparison.Ordinal));
        var runtimeConfig = File.ReadAllText(Path.Combine(output.Path, project + ".runtimeconfig.json"));
        Assert.Null(Dockerfiles.MissingFramework(runtimeConfig, dockerfile.Final.BaseImage));
    }

    [Fact]
    public void An_asp_net_core_app_on_the_plain_runtime_image_is_caught()
    {
        const string runtimeConfig = """{"runtimeOptions":{"frameworks":[{"name":"Microsoft.NETCore.App"},{"name":"Microsoft.AspNetCore.App"}]}}""";

        Assert.Null(Dockerfiles.MissingFramework(runtimeConfig, "mcr.microsoft.com/dotnet/aspnet:10.0-alpine"));
        Assert.Contains("Microsoft.AspNetCore.App", Dockerfiles.MissingFramework(runtimeConfig, "mcr.microsoft.com/dotnet/runtime:10.0-alpine"));
    }

    [Fact]
    public void A_referenced_project_left_out_of_the_copy_is_caught()
    {
        var broken = Dockerfile.Parse(Repository.Read("ingress-controller", "Dockerfile").Replace("COPY proxy/src/ proxy/src/\n", "", StringComparison.Ordinal));

        Assert.Contains(Dockerfiles.Find("ingress-controller", "Chat.IngressController", broken, DockerIgnore.Load()),
            p => p.Contains("the sources of proxy/src/Chat.Proxy are not copied before the publish"));
    }

    [Fact]
    public void A_project_file_copied_only_after_the_restore_is_caught()
    {
        var broken = Dockerfile.Parse(Repository.Read("gateway", "Dockerfile").Replace("COPY proxy/src/Chat.Proxy/Chat.Proxy.csproj proxy/src/Chat.Proxy/\n", "", StringComparison.Ordinal));

        Assert.Contains(Dockerfiles.Find("gateway", "Chat.Gateway", broken, DockerIgnore.Load()),
            p => p.Contains("proxy/src/Chat.Proxy/Chat.Proxy.csproj is not copied before the restore"));
    }

    [Fact]
    public void A_chat_server_build_without_node_is_caught()
    {
        var text = string.Join('\n', Repository.Read("chat-server", "Dockerfile").Split('\n').Where(l => !l.Contains("node", StringComparison.Ordinal)));

        Assert.Contains(Dockerfiles.Find("chat-server", "Chat.Server", Dockerfile.Parse(text), DockerIgnore.Load()),
            p => p.Contains("builds npm assets but the build stage has no Node.js"));
    }

    [Fact]
    public void A_dockerignore_that_leaves_sources_out_is_caught()
    {
        var ignore = new DockerIgnore(File.ReadAllLines(Repository.Path(".dockerignore")).Append("**/src/"));

        Assert.Contains(Dockerfiles.Find("gateway", "Chat.Gateway", Load("gateway"), ignore), p => p.Contains(".dockerignore leaves"));
    }

    [Fact]
    public void A_wrong_entrypoint_root_user_or_unexposed_port_is_caught()
    {
        var broken = Dockerfile.Parse(Repository.Read("gateway", "Dockerfile")
            .Replace("Chat.Gateway.dll\"]", "Gateway.dll\"]", StringComparison.Ordinal)
            .Replace("USER $APP_UID", "USER root", StringComparison.Ordinal)
            .Replace("EXPOSE 8080", "EXPOSE 80", StringComparison.Ordinal));

        var problems = Dockerfiles.Find("gateway", "Chat.Gateway", broken, DockerIgnore.Load());

        Assert.Contains(problems, p => p.Contains("ENTRYPOINT does not run Chat.Gateway.dll"));
        Assert.Contains(problems, p => p.Contains("runs as root"));
        Assert.Contains(problems, p => p.Contains("listens on 8080 but does not EXPOSE it"));
    }

    [Fact]
    public async Task A_publish_command_that_cannot_succeed_fails_the_replay()
    {
        var result = await Command.RunAsync(Tools.Dotnet, ["publish", "gateway/src/Chat.Gateway/Chat.Gatway.csproj", "-c", "Release", "--no-restore", "-nologo"]);

        Assert.False(result.Succeeded, result.ToString());
    }

    private static Dockerfile Load(string component) => Dockerfile.Parse(Repository.Read(component, "Dockerfile"));
}
